#!/usr/bin/env bash
# Configures an HTTP API on a running Lamina with the AWS CLI (apigatewayv2) and calls it with curl.
#   httpapi-cli-test.sh http://127.0.0.1:9000 <function name>
# Run by HttpApiCliTest (lamina-it) against a Lamina on an ephemeral port; usable by hand too.
set -euo pipefail
endpoint=${1:?usage: httpapi-cli-test.sh <lamina endpoint> <function name>}
fn=${2:?usage: httpapi-cli-test.sh <lamina endpoint> <function name>}
cli=${AWS_CLI:-/usr/bin/aws}
[ -x "$cli" ] || { echo "FAIL: no AWS CLI v2 at $cli (apt-get install awscli; the first aws on PATH may be v1)" >&2; exit 2; }

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
aws() { "$cli" --endpoint-url "$endpoint" --output text "$@"; }
checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; checks=$((checks + 1)); }
expect_contains() { case "$1" in *"$2"*) checks=$((checks + 1)) ;; *) fail "$3: '$2' not in: $1" ;; esac; }

arn="arn:aws:lambda:us-east-1:000000000000:function:$fn"
api=$(aws apigatewayv2 create-api --name cli-api --protocol-type HTTP --query ApiId)
[[ "$api" =~ ^[a-z0-9]{10}$ ]] || fail "create-api: ApiId '$api'"
expect "$(aws apigatewayv2 get-apis --query "Items[?ApiId=='$api'].Name")" "cli-api" "get-apis"
integration=$(aws apigatewayv2 create-integration --api-id "$api" --integration-type AWS_PROXY \
  --integration-uri "$arn" --payload-format-version 2.0 --query IntegrationId)
expect "$(aws apigatewayv2 get-integration --api-id "$api" --integration-id "$integration" --query TimeoutInMillis)" \
  "30000" "get-integration default timeout"
route=$(aws apigatewayv2 create-route --api-id "$api" --route-key 'GET /cli/{name}' \
  --target "integrations/$integration" --query RouteId)
expect "$(aws apigatewayv2 get-routes --api-id "$api" --query 'Items[0].RouteKey')" 'GET /cli/{name}' "get-routes"
expect "$(aws apigatewayv2 create-stage --api-id "$api" --stage-name '$default' --auto-deploy --query AutoDeploy)" \
  "True" "create-stage"
url=$(aws apigatewayv2 get-api --api-id "$api" --query ApiEndpoint)
expect "$url" "$endpoint/_api/$api" "ApiEndpoint"

out=$(curl -sS "$url/cli/bob")
expect_contains "$out" '"message":"Internal Server Error"' "call before the grant"
aws lambda add-permission --function-name "$fn" --statement-id "cli-$api" --action lambda:InvokeFunction \
  --principal apigateway.amazonaws.com --source-arn "arn:aws:execute-api:us-east-1:000000000000:$api/*/GET/cli/{name}" >/dev/null
out=$(curl -sS "$url/cli/bob?greeting=hi")
expect_contains "$out" '"pathParameters":{"name":"bob"}' "path parameter"
expect_contains "$out" '"greeting":"hi"' "query parameter"

bad=$("$cli" --endpoint-url "$endpoint" apigatewayv2 create-route --api-id "$api" --route-key 'GET /cli/{name}' 2>&1 || true)
expect_contains "$bad" "ConflictException" "duplicate route key"
aws apigatewayv2 delete-route --api-id "$api" --route-id "$route"
expect "$(curl -sS -o /dev/null -w '%{http_code}' "$url/cli/bob")" "404" "call after delete-route"
aws apigatewayv2 delete-api --api-id "$api"
gone=$("$cli" --endpoint-url "$endpoint" apigatewayv2 get-api --api-id "$api" 2>&1 || true)
expect_contains "$gone" "NotFoundException" "get-api after delete-api"
echo "httpapi cli test: $checks checks passed"

#!/usr/bin/env bash
# Drives a running Lamina with the AWS CLI v2 (Debian's /usr/bin/aws) and checks its answers.
#   aws-cli-test.sh http://127.0.0.1:9000
# Run by AwsCliTest (lamina-it) against a Lamina on an ephemeral port; usable by hand too.
set -euo pipefail
endpoint=${1:?usage: aws-cli-test.sh <lamina endpoint>}
cli=${AWS_CLI:-/usr/bin/aws}
[ -x "$cli" ] || { echo "FAIL: $cli not found (apt-get install awscli)" >&2; exit 2; }

# A clean CLI: no user config, dummy credentials, no pager.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
aws() { "$cli" --endpoint-url "$endpoint" --output text "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fn="cli-fn-$$"
role="arn:aws:iam::000000000000:role/lambda-role"
checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # <actual> <expected> <what>
  [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
  checks=$((checks + 1))
}
expect_contains() { # <haystack> <needle> <what>
  case "$1" in *"$2"*) checks=$((checks + 1)) ;; *) fail "$3: '$2' not in: $1" ;; esac
}

cat > "$work/index.js" <<'JS'
exports.handler = async (event, context) => {
  console.log("hello from", context.functionVersion);
  return { hello: event.name, version: context.functionVersion };
};
JS
(cd "$work" && python3 -m zipfile -c fn.zip index.js)

# create-function: answers State Pending, becomes Active
expect "$(aws lambda create-function --function-name "$fn" --runtime nodejs20.x --handler index.handler \
  --role "$role" --zip-file "fileb://$work/fn.zip" --query State)" "Pending" "create-function State"
aws lambda wait function-active-v2 --function-name "$fn"
expect "$(aws lambda get-function --function-name "$fn" --query 'Configuration.[State,Runtime,Handler]')" \
  "Active	nodejs20.x	index.handler" "get-function"

# invoke: status, payload, executed version, tail log
expect "$(aws lambda invoke --function-name "$fn" --cli-binary-format raw-in-base64-out --payload '{"name":"cli"}' \
  --query '[StatusCode,ExecutedVersion]' "$work/out.json")" "200	\$LATEST" "invoke status"
expect "$(cat "$work/out.json")" '{"hello":"cli","version":"$LATEST"}' "invoke payload"
log=$(aws lambda invoke --function-name "$fn" --cli-binary-format raw-in-base64-out --payload '{}' \
  --log-type Tail --query LogResult "$work/out2.json" | base64 -d)
expect_contains "$log" "START RequestId: " "tail log START"
expect_contains "$log" "INFO	hello from \$LATEST" "tail log function output"
expect_contains "$log" "REPORT RequestId: " "tail log REPORT"

# list-functions
expect_contains "$(aws lambda list-functions --query 'Functions[].FunctionName')" "$fn" "list-functions"

# publish-version, create-alias, invoke through the alias
expect "$(aws lambda publish-version --function-name "$fn" --query Version)" "1" "publish-version"
expect "$(aws lambda create-alias --function-name "$fn" --name live --function-version 1 --query AliasArn)" \
  "arn:aws:lambda:us-east-1:000000000000:function:$fn:live" "create-alias"
expect "$(aws lambda invoke --function-name "$fn" --qualifier live --cli-binary-format raw-in-base64-out \
  --payload '{"name":"alias"}' --query ExecutedVersion "$work/out3.json")" "1" "invoke alias executed version"
expect "$(cat "$work/out3.json")" '{"hello":"alias","version":"1"}' "invoke alias payload"

# add-permission, get-policy
statement=$(aws lambda add-permission --function-name "$fn" --statement-id s3-invoke --action lambda:InvokeFunction \
  --principal s3.amazonaws.com --source-arn arn:aws:s3:::my-bucket --query Statement)
expect_contains "$statement" '"Principal":{"Service":"s3.amazonaws.com"}' "add-permission statement"
policy=$(aws lambda get-policy --function-name "$fn" --query Policy)
expect_contains "$policy" '"Sid":"s3-invoke"' "get-policy"
expect_contains "$policy" '"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::my-bucket"}' "get-policy condition"

# asynchronous invocation: the event invoke config, then an Event invoke answered 202
expect "$(aws lambda put-function-event-invoke-config --function-name "$fn" --maximum-retry-attempts 1 \
  --maximum-event-age-in-seconds 3600 --query '[FunctionArn,MaximumRetryAttempts,MaximumEventAgeInSeconds]')" \
  "arn:aws:lambda:us-east-1:000000000000:function:$fn:\$LATEST	1	3600" "put-function-event-invoke-config"
expect "$(aws lambda update-function-event-invoke-config --function-name "$fn" --maximum-retry-attempts 0 \
  --query '[MaximumRetryAttempts,MaximumEventAgeInSeconds]')" "0	3600" "update-function-event-invoke-config merges"
expect "$(aws lambda list-function-event-invoke-configs --function-name "$fn" \
  --query 'length(FunctionEventInvokeConfigs)')" "1" "list-function-event-invoke-configs"
expect "$(aws lambda invoke --function-name "$fn" --invocation-type Event --cli-binary-format raw-in-base64-out \
  --payload '{"name":"async"}' --query StatusCode "$work/async.json")" "202" "invoke --invocation-type Event"
aws lambda delete-function-event-invoke-config --function-name "$fn"
if out=$(aws lambda get-function-event-invoke-config --function-name "$fn" 2>&1); then fail "config still there after delete"; fi
expect_contains "$out" "doesn't have an EventInvokeConfig" "get-function-event-invoke-config after delete"

# an error the CLI reports as AWS does
if out=$(aws lambda invoke --function-name "no-such-$fn" "$work/none.json" 2>&1); then fail "invoke of a missing function succeeded"; fi
expect_contains "$out" "ResourceNotFoundException" "missing function error"
expect_contains "$out" "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-$fn" "missing function message"

# delete-function
aws lambda delete-function --function-name "$fn"
if out=$(aws lambda get-function --function-name "$fn" 2>&1); then fail "get-function after delete succeeded"; fi
expect_contains "$out" "ResourceNotFoundException" "get-function after delete"

echo "aws cli test: $checks checks passed"

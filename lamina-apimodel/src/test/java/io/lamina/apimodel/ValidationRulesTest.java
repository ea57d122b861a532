package io.lamina.apimodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.lamina.apimodel.Requests.MODEL;
import static io.lamina.apimodel.Requests.bind;
import static io.lamina.apimodel.Requests.validationMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Constraints the recordings do not cover, worded by the rules the recordings establish (see
 * {@link ValidationMessagesMatchRecordedAwsResponsesTest} for the byte-for-byte cases).
 */
class ValidationRulesTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/r";

    private static String createFunction(String extra) {
        return "{\"FunctionName\":\"f\",\"Role\":\"" + ROLE + "\",\"Code\":{\"ZipFile\":\"UEsFBg==\"},\"Runtime\":\"python3.12\","
                + "\"Handler\":\"index.handler\"" + extra + "}";
    }

    private static String one(String violation) {
        return "1 validation error detected: " + violation;
    }

    @Test
    void memorySizeOutOfRange() {
        assertThat(validationMessage("POST", "/2015-03-31/functions", createFunction(",\"MemorySize\":64"))).contains(one(
                "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"));
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration", "{\"MemorySize\":32769}")).contains(one(
                "Value '32769' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 32768"));
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration", "{\"MemorySize\":128}")).isEmpty();
    }

    @Test
    void timeoutOutOfRange() {
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration", "{\"Timeout\":0}")).contains(one(
                "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"));
        assertThat(validationMessage("POST", "/2015-03-31/functions", createFunction(",\"Timeout\":5401"))).contains(one(
                "Value '5401' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 5400"));
    }

    @Test
    void ephemeralStorageOutOfRangeIsReportedAtItsNestedPath() {
        assertThat(validationMessage("POST", "/2015-03-31/functions", createFunction(",\"EphemeralStorage\":{\"Size\":511}"))).contains(one(
                "Value '511' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512"));
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration", "{\"EphemeralStorage\":{\"Size\":10241}}")).contains(one(
                "Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240"));
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration", "{\"EphemeralStorage\":{}}")).contains(one(
                "Value null at 'ephemeralStorage.size' failed to satisfy constraint: Member must not be null"));
    }

    @Test
    void reservedConcurrencyMustBePresentAndNotNegative() {
        assertThat(validationMessage("PUT", "/2017-10-31/functions/f/concurrency", "{\"ReservedConcurrentExecutions\":-1}")).contains(one(
                "Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"));
        assertThat(validationMessage("PUT", "/2017-10-31/functions/f/concurrency", "{}")).contains(one(
                "Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null"));
        assertThat(validationMessage("PUT", "/2017-10-31/functions/f/concurrency", "{\"ReservedConcurrentExecutions\":0}")).isEmpty();
    }

    @Test
    void maxItemsOutOfRangeForEachListOperation() {
        assertThat(validationMessage("GET", "/2015-03-31/functions?MaxItems=0", null)).contains(one(
                "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"));
        assertThat(validationMessage("GET", "/2015-03-31/functions/f/aliases?MaxItems=10001", null)).contains(one(
                "Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000"));
        assertThat(validationMessage("GET", "/2021-10-31/functions/f/urls?MaxItems=51", null)).contains(one(
                "Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50"));
        assertThat(validationMessage("GET", "/2019-09-25/functions/f/event-invoke-config/list?MaxItems=51", null)).contains(one(
                "Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50"));
    }

    @Test
    void qualifierLengthAndPattern() {
        String longQualifier = "q".repeat(129);
        assertThat(validationMessage("GET", "/2015-03-31/functions/f?Qualifier=" + longQualifier, null)).contains(one(
                "Value '" + longQualifier + "' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128"));
        assertThat(validationMessage("GET", "/2015-03-31/functions/f?Qualifier=%24LATEST", null)).isEmpty();
        assertThat(validationMessage("GET", "/2015-03-31/functions/f?Qualifier=", null)).contains(
                "2 validation errors detected: Value '' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+; "
                        + "Value '' at 'qualifier' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    @Test
    void functionNameInPathIsValidatedWithTheOperationsShape() {
        // FunctionName (max 140) for UpdateFunctionCode, NamespacedFunctionName (max 256) for GetFunction.
        String name141 = "a".repeat(141);
        assertThat(validationMessage("PUT", "/2015-03-31/functions/" + name141 + "/code", "{}")).contains(one(
                "Value '" + name141 + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140"));
        assertThat(validationMessage("GET", "/2015-03-31/functions/" + name141, null)).isEmpty();
        assertThat(validationMessage("GET", "/2015-03-31/functions/my-fn%3Aprod", null)).isEmpty();
        assertThat(validationMessage("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3A%24LATEST", null)).isEmpty();
    }

    @Test
    void aliasNameLengthAndPattern() {
        String longName = "a".repeat(129);
        assertThat(validationMessage("GET", "/2015-03-31/functions/f/aliases/" + longName, null)).contains(one(
                "Value '" + longName + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 128"));
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/aliases/prod", "{\"FunctionVersion\":\"v1\"}")).contains(one(
                "Value 'v1' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST(\\.PUBLISHED)?|[0-9]+)"));
    }

    @Test
    void permissionActionAndPrincipalPatterns() {
        assertThat(validationMessage("POST", "/2015-03-31/functions/f/policy",
                "{\"StatementId\":\"s\",\"Action\":\"s3:GetObject\",\"Principal\":\"has space\"}")).contains(
                "2 validation errors detected: Value 's3:GetObject' at 'action' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*]); "
                        + "Value 'has space' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+");
        assertThat(validationMessage("POST", "/2015-03-31/functions/f/policy", "{}")).contains(
                "3 validation errors detected: Value null at 'statementId' failed to satisfy constraint: Member must not be null; "
                        + "Value null at 'action' failed to satisfy constraint: Member must not be null; "
                        + "Value null at 'principal' failed to satisfy constraint: Member must not be null");
        assertThat(validationMessage("DELETE", "/2015-03-31/functions/f/policy/bad%20id", null)).contains(one(
                "Value 'bad id' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)"));
    }

    @Test
    void tagKeysAndValuesAreCheckedAsMapKeysAndMapValues() {
        String fn = "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af";
        String longKey = "k".repeat(129);
        assertThat(validationMessage("POST", fn, "{\"Tags\":{\"" + longKey + "\":\"v\"}}")).contains(one(
                "Value '{" + longKey + "=v}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: "
                        + "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, "
                        + "Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)]"));
        assertThat(validationMessage("POST", "/2015-03-31/functions", createFunction(",\"Tags\":{\"k\":\"bad!\"}"))).contains(one(
                "Value '{k=bad!}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: "
                        + "[Member must have length less than or equal to 256, Member must have length greater than or equal to 0, "
                        + "Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*), Member must not be null]"));
        assertThat(validationMessage("POST", fn, "{}")).contains(one(
                "Value null at 'tags' failed to satisfy constraint: Member must not be null"));
    }

    @Test
    void sensitiveValuesAreLeftOutOfTheMessage() {
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration",
                "{\"Environment\":{\"Variables\":{\"1BAD\":\"secret\"}}}")).contains(one(
                "Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: "
                        + "[Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"));
    }

    @Test
    void requiredMembersMissingAreReportedInModelOrder() {
        assertThat(validationMessage("POST", "/2015-03-31/functions", "{}")).contains(
                "3 validation errors detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null; "
                        + "Value null at 'role' failed to satisfy constraint: Member must not be null; "
                        + "Value null at 'code' failed to satisfy constraint: Member must not be null");
        assertThat(validationMessage("POST", "/2021-10-31/functions/f/url", "{}")).contains(one(
                "Value null at 'authType' failed to satisfy constraint: Member must not be null"));
    }

    @Test
    void structureElementsOfAListAreAddressedByOneBasedIndex() {
        String arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0";
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration",
                "{\"FileSystemConfigs\":[{\"Arn\":\"" + arn + "\"}]}"))
                .contains(one("Value null at 'fileSystemConfigs.1.member.localMountPath' failed to satisfy constraint: Member must not be null"));
        // A list of structures prints like Java's toString of Coral's generated classes.
        assertThat(validationMessage("PUT", "/2015-03-31/functions/f/configuration",
                "{\"FileSystemConfigs\":[{\"Arn\":\"" + arn + "\",\"LocalMountPath\":\"/mnt/a\"},{\"Arn\":\"" + arn + "\"}]}"))
                .contains("2 validation errors detected: Value '[FileSystemConfig(arn=" + arn + ", localMountPath=/mnt/a), "
                        + "FileSystemConfig(arn=" + arn + ", localMountPath=null)]' at 'fileSystemConfigs' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 1; "
                        + "Value null at 'fileSystemConfigs.2.member.localMountPath' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void enumHeaderIsValidated() {
        BoundInput in = bind("POST", "/2015-03-31/functions/f/invocations", java.util.Map.of("X-Amz-Invocation-Type", "Later"), "{}");
        assertThat(MODEL.validate(in.operation(), in.input())).contains(one(
                "Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"));
    }

    @Test
    void callerCanExcludeMembersItChecksItselfAndGetsStructuredViolations() throws Exception {
        BoundInput in = bind("POST", "/2015-03-31/functions", createFunction(",\"MemorySize\":1,\"Architectures\":[\"sparc\"]"));

        ValidationResult all = MODEL.validate(in.operation(), in.input(), Set.of());
        assertThat(all.violations()).extracting(Violation::path, Violation::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("memorySize", Violation.Kind.VALUE_MIN),
                org.assertj.core.groups.Tuple.tuple("architectures", Violation.Kind.LIST_ELEMENT));

        ValidationResult some = MODEL.validate(in.operation(), in.input(), Set.of("architectures"));
        assertThat(some.violations()).extracting(Violation::path).containsExactly("memorySize");
        assertThat(some.message()).contains(one(
                "Value '1' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"));

        ObjectNode nested = (ObjectNode) new ObjectMapper().readTree(
                "{\"FunctionName\":\"f\",\"VpcConfig\":{\"SubnetIds\":[\"bad\"],\"SecurityGroupIds\":[\"bad\"]}}");
        Operation update = MODEL.operation("UpdateFunctionConfiguration").orElseThrow();
        assertThat(MODEL.validate(update, nested, Set.of("vpcConfig")).valid()).isTrue();
        assertThat(MODEL.validate(update, nested, Set.of("vpcConfig.subnetIds")).violations())
                .extracting(Violation::path).containsExactly("vpcConfig.securityGroupIds");
    }

    @Test
    void renderingJoinsSeveralViolationsWithSemicolons() {
        String rendered = ValidationResult.render(java.util.List.of(
                Violation.of("a", "1", Violation.Kind.VALUE_MIN, "Member must have value greater than or equal to 2"),
                Violation.of("b", null, Violation.Kind.REQUIRED, "Member must not be null")));
        assertThat(rendered).isEqualTo("2 validation errors detected: "
                + "Value '1' at 'a' failed to satisfy constraint: Member must have value greater than or equal to 2; "
                + "Value null at 'b' failed to satisfy constraint: Member must not be null");
        assertThat(new ValidationResult(java.util.List.of()).message()).isEmpty();
    }
}

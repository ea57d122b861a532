package io.lamina.core.urls;

import java.util.regex.Pattern;

/**
 * An identity that may sign requests to AWS_IAM function URLs, as configured in the resources file
 * ({@code "credentials": [{"accessKeyId": ..., "secretAccessKey": ..., "arn": "arn:aws:iam::<account>:user/<name>"}]}).
 * The secret never appears in {@link #toString()}.
 */
public record SigningCredential(String accessKeyId, String secretAccessKey, String arn) {
    private static final Pattern IAM_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:(iam|sts)::(\\d{12}):.+");

    public SigningCredential {
        if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("a credential needs accessKeyId and secretAccessKey");
        }
        if (arn == null || !IAM_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException("credential " + accessKeyId
                    + ": arn must be an IAM or STS ARN such as arn:aws:iam::000000000000:user/dev, got " + arn);
        }
    }

    /** The account the identity belongs to (from its ARN). */
    public String accountId() {
        var m = IAM_ARN.matcher(arn);
        m.matches();
        return m.group(2);
    }

    @Override
    public String toString() {
        return "SigningCredential[accessKeyId=" + accessKeyId + ", arn=" + arn + "]";
    }
}

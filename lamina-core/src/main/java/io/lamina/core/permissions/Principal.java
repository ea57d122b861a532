package io.lamina.core.permissions;

/** Who asks to invoke: an AWS service acting for a resource, an IAM identity, or nobody signed. */
public sealed interface Principal {
    /** A service principal such as {@code apigateway.amazonaws.com}. */
    record Service(String name) implements Principal {
    }

    /** A signed caller: its account and its IAM ARN (for example {@code arn:aws:iam::000000000000:user/dev}). */
    record Identity(String accountId, String arn) implements Principal {
    }

    /** An unsigned caller, as a function URL with AuthType NONE sees it. */
    record Anonymous() implements Principal {
    }
}

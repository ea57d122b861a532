package io.lamina.core.mappings;

/**
 * Why Lambda itself stopped a mapping after an error that cannot heal without the user: the codes AWS
 * reports in {@code StateTransitionReason}
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-mq-errors.html). The mapping stays Disabled until
 * the user enables it again.
 */
public enum StopReason {
    /** The event source mapping configuration is not valid. */
    ESM_CONFIG_NOT_VALID,
    /** Lambda failed to authenticate to the event source. */
    EVENT_SOURCE_AUTHN_ERROR,
    /** Lambda does not have the permissions it needs to read the event source. */
    EVENT_SOURCE_AUTHZ_ERROR,
    /** The function's configuration is not valid. */
    FUNCTION_CONFIG_NOT_VALID
}

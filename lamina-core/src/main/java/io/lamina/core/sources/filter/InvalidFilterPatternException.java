package io.lamina.core.sources.filter;

import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;

/**
 * A {@code FilterCriteria} pattern Lambda would refuse: answered as {@code InvalidParameterValueException}
 * with AWS's message "Invalid filter pattern definition." (AWS gives no detail); {@link #detail()} says
 * what was wrong, for logs.
 */
public final class InvalidFilterPatternException extends LambdaException {
    public static final String MESSAGE = "Invalid filter pattern definition.";

    private final String detail;

    InvalidFilterPatternException(String detail) {
        super(ErrorType.InvalidParameterValueException, MESSAGE);
        this.detail = detail;
    }

    /** Why the pattern was refused (engine message or Lambda rule); not sent to API callers. */
    public String detail() {
        return detail;
    }
}

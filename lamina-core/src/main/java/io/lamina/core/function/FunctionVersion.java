package io.lamina.core.function;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of one version of a function ({@code $LATEST} or a published number), as
 * stored and as rendered in {@code FunctionConfiguration}. Immutable; change it with
 * {@link #toBuilder()}.
 *
 * @param environment         {@code Environment.Variables}; empty when the caller never set Environment
 * @param codeSha256          base64 SHA-256 of the zip, as AWS reports it
 * @param codeKey             hex SHA-256 of the zip, the key of the package in the code store
 * @param lastModified        AWS's format, {@code 2024-01-01T00:00:00.000+0000}
 * @param configRevision      changes with every code or configuration update of {@code $LATEST} (not with state
 *                            changes, tags or policies); a version keeps the one it was published from, which is
 *                            how PublishVersion knows that nothing changed since. Empty in records stored before
 *                            it existed.
 * @param deadLetterTargetArn {@code DeadLetterConfig.TargetArn}: the SQS queue or SNS topic that receives
 *                            asynchronous events whose retries ran out. Part of the version's configuration, so
 *                            a published version keeps the one it was published with. Empty in records stored
 *                            before it existed.
 */
public record FunctionVersion(
        String functionName,
        String version,
        String runtime,
        String handler,
        String role,
        int memorySize,
        int timeout,
        String description,
        Optional<Map<String, String>> environment,
        List<String> architectures,
        int ephemeralStorageSize,
        String tracingMode,
        String logFormat,
        String logGroup,
        String codeSha256,
        String codeKey,
        long codeSize,
        String revisionId,
        String lastModified,
        FunctionState state,
        Optional<String> stateReason,
        Optional<String> stateReasonCode,
        Optional<LastUpdateStatus> lastUpdateStatus,
        Optional<String> lastUpdateStatusReason,
        Optional<String> lastUpdateStatusReasonCode,
        Optional<String> configRevision,
        Optional<String> deadLetterTargetArn) {

    public static final String LATEST = "$LATEST";

    public FunctionVersion {
        // absent in older documents
        configRevision = configRevision == null ? Optional.empty() : configRevision;
        deadLetterTargetArn = deadLetterTargetArn == null ? Optional.empty() : deadLetterTargetArn;
    }

    public boolean isLatest() {
        return LATEST.equals(version);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change helper for the many fields of a version. */
    public static final class Builder {
        private String functionName, version, runtime, handler, role, description, tracingMode, logFormat,
                logGroup, codeSha256, codeKey, revisionId, lastModified;
        private int memorySize, timeout, ephemeralStorageSize;
        private long codeSize;
        private Optional<Map<String, String>> environment;
        private List<String> architectures;
        private FunctionState state;
        private Optional<String> stateReason, stateReasonCode, lastUpdateStatusReason, lastUpdateStatusReasonCode;
        private Optional<LastUpdateStatus> lastUpdateStatus;
        private Optional<String> configRevision;
        private Optional<String> deadLetterTargetArn;

        public Builder() {
            environment = Optional.empty();
            architectures = List.of("x86_64");
            stateReason = Optional.empty();
            stateReasonCode = Optional.empty();
            lastUpdateStatus = Optional.empty();
            lastUpdateStatusReason = Optional.empty();
            lastUpdateStatusReasonCode = Optional.empty();
            configRevision = Optional.empty();
            deadLetterTargetArn = Optional.empty();
        }

        private Builder(FunctionVersion v) {
            functionName = v.functionName; version = v.version; runtime = v.runtime; handler = v.handler;
            role = v.role; memorySize = v.memorySize; timeout = v.timeout; description = v.description;
            environment = v.environment; architectures = v.architectures;
            ephemeralStorageSize = v.ephemeralStorageSize; tracingMode = v.tracingMode; logFormat = v.logFormat;
            logGroup = v.logGroup; codeSha256 = v.codeSha256; codeKey = v.codeKey; codeSize = v.codeSize;
            revisionId = v.revisionId; lastModified = v.lastModified; state = v.state;
            stateReason = v.stateReason; stateReasonCode = v.stateReasonCode; lastUpdateStatus = v.lastUpdateStatus;
            lastUpdateStatusReason = v.lastUpdateStatusReason; lastUpdateStatusReasonCode = v.lastUpdateStatusReasonCode;
            configRevision = v.configRevision;
            deadLetterTargetArn = v.deadLetterTargetArn;
        }

        public Builder functionName(String v) { functionName = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder runtime(String v) { runtime = v; return this; }
        public Builder handler(String v) { handler = v; return this; }
        public Builder role(String v) { role = v; return this; }
        public Builder memorySize(int v) { memorySize = v; return this; }
        public Builder timeout(int v) { timeout = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder environment(Optional<Map<String, String>> v) { environment = v.map(Map::copyOf); return this; }
        public Builder architectures(List<String> v) { architectures = List.copyOf(v); return this; }
        public Builder ephemeralStorageSize(int v) { ephemeralStorageSize = v; return this; }
        public Builder tracingMode(String v) { tracingMode = v; return this; }
        public Builder logFormat(String v) { logFormat = v; return this; }
        public Builder logGroup(String v) { logGroup = v; return this; }
        public Builder code(CodePackage p) { codeSha256 = p.sha256Base64(); codeKey = p.key(); codeSize = p.size(); return this; }
        public Builder revisionId(String v) { revisionId = v; return this; }
        public Builder lastModified(String v) { lastModified = v; return this; }
        public Builder configRevision(Optional<String> v) { configRevision = v; return this; }
        public Builder deadLetterTargetArn(Optional<String> v) { deadLetterTargetArn = v; return this; }

        public Builder state(FunctionState s, Optional<String> reason, Optional<String> code) {
            state = s; stateReason = reason; stateReasonCode = code; return this;
        }

        public Builder lastUpdate(Optional<LastUpdateStatus> s, Optional<String> reason, Optional<String> code) {
            lastUpdateStatus = s; lastUpdateStatusReason = reason; lastUpdateStatusReasonCode = code; return this;
        }

        public FunctionVersion build() {
            return new FunctionVersion(functionName, version, runtime, handler, role, memorySize, timeout,
                    description, environment, architectures, ephemeralStorageSize, tracingMode, logFormat, logGroup,
                    codeSha256, codeKey, codeSize, revisionId, lastModified, state, stateReason, stateReasonCode,
                    lastUpdateStatus, lastUpdateStatusReason, lastUpdateStatusReasonCode, configRevision,
                    deadLetterTargetArn);
        }
    }
}

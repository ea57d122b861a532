package io.lamina.core.destinations;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An event sent to a dead-letter queue or topic: the original event as the message body, with the
 * {@code RequestID} (String), {@code ErrorCode} (Number) and {@code ErrorMessage} (String) message
 * attributes.
 *
 * @param errorCode     the HTTP status code of the failure; 200 for a function error, as AWS sends it
 * @param errorMessage  the error's message (for a function error, the {@code errorMessage} of its error
 *                      document); AWS keeps only its first 1 KB, see {@link #attributeErrorMessage()}
 */
public record DeadLetter(byte[] event, String requestId, int errorCode, String errorMessage) {

    /** AWS: "ErrorMessage (String) – The first 1 KB of the error message". */
    static final int ERROR_MESSAGE_MAX_BYTES = 1024;

    /**
     * The {@code ErrorMessage} attribute: the message cut to its first 1024 UTF-8 bytes, never in the
     * middle of a character (a broken character would make the attribute invalid for SQS).
     */
    public String attributeErrorMessage() {
        byte[] utf8 = errorMessage.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= ERROR_MESSAGE_MAX_BYTES) {
            return errorMessage;
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer in = CharBuffer.wrap(errorMessage);
        encoder.encode(in, ByteBuffer.allocate(ERROR_MESSAGE_MAX_BYTES), true);
        // The encoder stops before a character that no longer fits: what it consumed is the prefix.
        return errorMessage.substring(0, in.position());
    }
}

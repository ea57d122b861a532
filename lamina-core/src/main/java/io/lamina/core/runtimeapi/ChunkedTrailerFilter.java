package io.lamina.core.runtimeapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows the HTTP/1.1 requests a runtime sends on one connection, byte by byte, and takes the trailer
 * fields out of chunked bodies: the web server refuses a chunked body with trailers, and a streaming
 * runtime reports a mid-stream error in them. Chunk extensions are dropped for the same reason; everything
 * else passes through unchanged. Requests on a
 * Runtime API connection are sequential, so the framing is simple: a head, then a Content-Length body,
 * a chunked body or nothing.
 */
final class ChunkedTrailerFilter {
    private static final int MAX_LINE = 64 * 1024;
    private enum State { HEAD, LENGTH_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS }

    private final Consumer<Map<String, String>> onTrailers;
    private final Runnable onRequest;
    private State state = State.HEAD;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long remaining;
    private int headEnd; // how much of "\r\n\r\n" the head has matched
    private Map<String, String> trailers;

    /**
     * @param onTrailers receives the trailer fields of a chunked body (names in lower case) when it ends with any
     * @param onRequest  called at the start of each request head
     */
    ChunkedTrailerFilter(Consumer<Map<String, String>> onTrailers, Runnable onRequest) {
        this.onTrailers = onTrailers;
        this.onRequest = onRequest;
    }

    /** The bytes to pass on for {@code in} (the same array when nothing was taken out). */
    byte[] filter(byte[] in) {
        out = null;
        int i = 0;
        while (i < in.length) {
            switch (state) {
                case HEAD -> {
                    if (line.size() == 0 && headEnd == 0) {
                        onRequest.run();
                    }
                    // Scan for the empty line that ends the head; the head is kept to read its framing headers.
                    int start = i;
                    while (i < in.length && headEnd < 4) {
                        byte b = in[i++];
                        headEnd = switch (headEnd) {
                            case 0, 2 -> b == '\r' ? headEnd + 1 : 0;
                            case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                            default -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
                        };
                    }
                    keep(in, start, i);
                    if (line.size() < MAX_LINE) {
                        line.write(in, start, Math.min(i - start, MAX_LINE - line.size()));
                    }
                    if (headEnd == 4) {
                        startBody(line.toString(StandardCharsets.ISO_8859_1));
                        line.reset();
                        headEnd = 0;
                    }
                }
                case LENGTH_BODY, CHUNK_DATA, CHUNK_DATA_END -> {
                    int n = (int) Math.min(remaining, in.length - i);
                    keep(in, i, i + n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.CHUNK_DATA) {
                            state = State.CHUNK_DATA_END;
                            remaining = 2;
                        } else {
                            state = state == State.LENGTH_BODY ? State.HEAD : State.CHUNK_SIZE;
                        }
                    }
                }
                case CHUNK_SIZE -> {
                    // Held back until the line is complete, then passed on without chunk extensions (";name=value"),
                    // which the server does not accept either.
                    drop(in, i);
                    byte b = in[i++];
                    append(b);
                    if (b == '\n') {
                        String sizeLine = line.toString(StandardCharsets.ISO_8859_1);
                        line.reset();
                        int semi = sizeLine.indexOf(';');
                        String size = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
                        try {
                            remaining = Long.parseLong(size, 16);
                            state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                            trailers = null;
                            out.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        } catch (NumberFormatException e) {
                            state = State.HEAD; // not HTTP this follows: the server will reject it
                            out.writeBytes(sizeLine.getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                }
                case TRAILERS -> {
                    // Held back until the line is complete: the empty line passes, trailer fields do not.
                    drop(in, i);
                    byte b = in[i++];
                    append(b);
                    if (b == '\n') {
                        String field = line.toString(StandardCharsets.ISO_8859_1);
                        line.reset();
                        if (field.isBlank()) {
                            out.write('\r');
                            out.write('\n');
                            state = State.HEAD;
                            if (trailers != null) {
                                onTrailers.accept(trailers);
                                trailers = null;
                            }
                        } else {
                            int colon = field.indexOf(':');
                            if (colon > 0) {
                                if (trailers == null) {
                                    trailers = new LinkedHashMap<>();
                                }
                                trailers.put(field.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                        field.substring(colon + 1).trim());
                            }
                        }
                    }
                }
            }
        }
        return out == null ? in : out.toByteArray();
    }

    private ByteArrayOutputStream out;

    private void keep(byte[] in, int from, int to) {
        if (out != null) {
            out.write(in, from, to - from);
        }
    }

    /** Starts a filtered copy (everything before {@code at} passes) if there is none yet. */
    private void drop(byte[] in, int at) {
        if (out == null) {
            out = new ByteArrayOutputStream(in.length);
            out.write(in, 0, at);
        }
    }

    private void append(byte b) {
        if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    private void startBody(String head) {
        long length = 0;
        boolean chunked = false;
        for (String h : head.split("\r\n")) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    length = 0;
                }
            }
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (length > 0) {
            remaining = length;
            state = State.LENGTH_BODY;
        } else {
            state = State.HEAD;
        }
    }
}

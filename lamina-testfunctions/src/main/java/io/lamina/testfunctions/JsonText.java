package io.lamina.testfunctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * JSON written by hand: the recording handlers list what the typed event classes gave them without
 * bringing a JSON library into the function's package.
 */
final class JsonText {
    private JsonText() {
    }

    /** {@code "name":"value"} (or {@code null}). */
    static StringBuilder field(StringBuilder out, String name, String v) {
        string(out, name).append(':');
        return v == null ? out.append("null") : string(out, v);
    }

    /** Strings, numbers, booleans, maps and lists, nested as they come; anything else as its class and text. */
    static StringBuilder value(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey())).append(':');
                    value(out, e.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, list.get(i));
                }
                out.append(']');
            }
            default -> string(out, v.getClass().getName() + ":" + v);
        }
        return out;
    }

    static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends {@code text} to {@code $RECORD_DIR/<file>}. */
    static void append(String file, String text) {
        try {
            Files.writeString(Path.of(System.getenv("RECORD_DIR"), file), text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

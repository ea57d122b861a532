package io.lamina.core.function;

/**
 * A stored code package.
 *
 * @param key          hex SHA-256 of the zip: its name in the code store
 * @param sha256Base64 the same digest in base64, AWS's {@code CodeSha256}
 * @param size         zip size in bytes, AWS's {@code CodeSize}
 */
public record CodePackage(String key, String sha256Base64, long size) {
}

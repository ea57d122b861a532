package io.lamina.core.store;

import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.CodePackage;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Code packages, content-addressed by SHA-256: {@code <dir>/<hex>.zip} stored once, unpacked once
 * into {@code <dir>/<hex>/} (the task root every version with that code shares).
 */
public final class CodeStore {
    /** AWS's limit on the unzipped size of a function package. */
    public static final long MAX_UNZIPPED_BYTES = 262_144_000L;
    static final String UNZIP_FAILED = "Could not unzip uploaded file. Please check your file, then try to upload again.";

    private final Path dir;
    private final ConcurrentHashMap<String, ReentrantLock> unpackLocks = new ConcurrentHashMap<>();

    public CodeStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that {@code zip} is a zip AWS would accept and stores it.
     *
     * @throws LambdaException InvalidParameterValueException when it cannot be unzipped or is too big unzipped
     */
    public CodePackage put(byte[] zip) {
        long unzipped = 0;
        try (var file = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get()) {
            for (ZipArchiveEntry e : Collections.list(file.getEntries())) {
                if (e.getSize() > 0) {
                    unzipped += e.getSize();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw LambdaException.invalidParameter(UNZIP_FAILED);
        }
        if (unzipped > MAX_UNZIPPED_BYTES) {
            throw LambdaException.invalidParameter("Unzipped size must be smaller than " + MAX_UNZIPPED_BYTES + " bytes");
        }
        byte[] digest = sha256(zip);
        var pkg = new CodePackage(HexFormat.of().formatHex(digest), Base64.getEncoder().encodeToString(digest), zip.length);
        Path target = zipPath(pkg.key());
        if (!Files.exists(target)) {
            try {
                Path tmp = Files.createTempFile(dir, pkg.key(), ".tmp");
                Files.write(tmp, zip);
                moveAtomically(tmp, target);
            } catch (IOException e) {
                throw new StoreException("cannot store code package", e);
            }
        }
        return pkg;
    }

    public boolean contains(String key) {
        return Files.exists(zipPath(key));
    }

    public byte[] read(String key) {
        try {
            return Files.readAllBytes(zipPath(key));
        } catch (IOException e) {
            throw new StoreException("cannot read code package " + key, e);
        }
    }

    /** The unpacked package, unpacking it the first time it is asked for. */
    public Path taskRoot(String key) {
        Path root = dir.resolve(key);
        if (Files.isDirectory(root)) {
            return root;
        }
        var lock = unpackLocks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            if (!Files.isDirectory(root)) {
                Path tmp = Files.createTempDirectory(dir, key + ".unpack");
                unpack(zipPath(key), tmp);
                moveAtomically(tmp, root);
            }
            return root;
        } catch (IOException e) {
            throw new StoreException("cannot unpack code package " + key, e);
        } finally {
            lock.unlock();
        }
    }

    private Path zipPath(String key) {
        return dir.resolve(key + ".zip");
    }

    private static void unpack(Path zip, Path into) throws IOException {
        Path base = into.toAbsolutePath().normalize();
        try (var file = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : Collections.list(file.getEntries())) {
                Path target = base.resolve(e.getName()).normalize();
                if (!target.startsWith(base)) {
                    continue; // a "zip slip" entry pointing outside the task root
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                int mode = e.getUnixMode();
                // Like AWS: keep the execute bits the zip recorded; files are readable by everyone.
                Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
                if ((mode & 0111) != 0) {
                    perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                            PosixFilePermission.OTHERS_EXECUTE));
                }
                Files.setPosixFilePermissions(target, perms);
            }
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Someone else stored the same content first: theirs is identical.
            deleteRecursively(from);
        } catch (IOException e) {
            if (Files.exists(to)) {
                deleteRecursively(from);
            } else {
                throw e;
            }
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.cagate.server.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * A package file the download centre offers (the agent's zip, its .deb): a file path or a {@code classpath:}
 * resource, made ready for serving once and again only when the file changes (its size or modification
 * time; a resource never changes). A file that cannot be made ready is logged and not offered.
 */
final class PackageFile {
    private static final Logger log = LoggerFactory.getLogger(PackageFile.class);

    /** Makes the served package from the file's bytes. */
    interface Builder {
        AgentPackage.Served build(byte[] original) throws IOException;
    }

    private record Loaded(Object stamp, Optional<AgentPackage.Served> served) {}

    private final String what;
    private final String source;
    private final ResourceLoader resources;
    private final Builder builder;
    private volatile Loaded loaded;

    PackageFile(String what, String source, ResourceLoader resources, Builder builder) {
        this.what = what;
        this.source = source == null ? "" : source.trim();
        this.resources = resources;
        this.builder = builder;
    }

    /** The package on offer, if one is configured and usable. */
    Optional<AgentPackage.Served> current() {
        if (source.isEmpty()) {
            return Optional.empty();
        }
        Object stamp = stamp();
        Loaded known = loaded;
        if (known != null && known.stamp().equals(stamp)) {
            return known.served();
        }
        synchronized (this) {
            known = loaded;
            if (known == null || !known.stamp().equals(stamp)) {
                known = new Loaded(stamp, load());
                loaded = known;
            }
            return known.served();
        }
    }

    private Object stamp() {
        if (source.startsWith("classpath:")) {
            return source;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(Path.of(source), BasicFileAttributes.class);
            return List.of(attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return List.of();
        }
    }

    private Optional<AgentPackage.Served> load() {
        try {
            return Optional.of(builder.build(read()));
        } catch (IOException | RuntimeException e) {
            log.error("{} {} cannot be offered: {}", what, source, e.toString());
            return Optional.empty();
        }
    }

    private byte[] read() throws IOException {
        if (source.startsWith("classpath:")) {
            Resource resource = resources.getResource(source);
            try (InputStream in = resource.getInputStream()) {
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(Path.of(source));
    }
}

package org.cagate.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * The agent's log file, written under exactly the configured name ({@code cagate-agent.log}), the name
 * help desks ask for. When it reaches {@code limit} bytes it becomes {@code cagate-agent.log.1}, the
 * older ones move to {@code .2} ... and the oldest is dropped. java.util.logging's FileHandler would
 * write {@code cagate-agent.log.0} beside a {@code .lck} file instead.
 */
final class LogFile extends Handler {
    private final Path file;
    private final long limit;
    private final int rotated;
    private OutputStream out;
    private long written;

    /** @param rotated how many older files to keep beside the current one */
    LogFile(Path file, long limit, int rotated, Formatter formatter) throws IOException {
        this.file = file.toAbsolutePath();
        this.limit = limit;
        this.rotated = rotated;
        setFormatter(formatter);
        setEncoding(StandardCharsets.UTF_8.name());
        Files.createDirectories(this.file.getParent());
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (out == null || !isLoggable(record)) {
            return;
        }
        byte[] line;
        try {
            line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            reportError(null, e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        try {
            if (written > 0 && written + line.length > limit) {
                rotate();
            }
            out.write(line);
            out.flush();
            written += line.length;
        } catch (IOException e) {
            reportError(null, e, ErrorManager.WRITE_FAILURE);
        }
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(sibling(rotated));
        for (int i = rotated - 1; i >= 1; i--) {
            if (Files.exists(sibling(i))) {
                Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (rotated > 0) {
            Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        open();
    }

    private Path sibling(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            reportError(null, e, ErrorManager.FLUSH_FAILURE);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            reportError(null, e, ErrorManager.CLOSE_FAILURE);
        } finally {
            out = null;
        }
    }
}

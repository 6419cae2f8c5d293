package org.cagate.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One demo for every test class that asks for a {@link Demo} parameter: started on free ports with a data
 * folder under target/ at first use, stopped when the whole test run ends (JUnit closes the root store's
 * AutoCloseable values). Starting the server takes seconds, so the browser tests share it; each test
 * leaves the demo as it found it (keys put back, the agent running).
 */
final class SharedDemo implements ParameterResolver {

    private record Running(Demo demo) implements AutoCloseable {
        @Override
        public void close() {
            demo.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Demo.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        return store.computeIfAbsent(SharedDemo.class, key -> start(), Running.class)
                .demo();
    }

    private static Running start() {
        try {
            Path data = Files.createTempDirectory(Path.of("target"), "shared-demo-");
            return new Running(Demo.start(DemoOptions.forTests(data)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

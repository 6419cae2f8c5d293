package org.cagate.server.web;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO HTTP/1.1 protocol, keeping a (weak) list of its request processors so that
 * {@link SlowClientGuard} can see each request's stage, start time and connection, including those a
 * worker thread is busy with. Nothing else differs. Tomcat instantiates it by class name
 * ({@code TomcatServletWebServerFactory.setProtocol}), hence public with a public constructor.
 */
public class GuardedNioProtocol extends Http11NioProtocol {

    // Tomcat pools processors and drops surplus ones; weak keys let those go.
    private final Set<Tracked> processors = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    public GuardedNioProtocol() {
        super();
    }

    @Override
    protected Processor createProcessor() {
        Tracked processor = new Tracked(this, getAdapter());
        processors.add(processor);
        return processor;
    }

    List<Tracked> processors() {
        synchronized (processors) {
            return List.copyOf(processors);
        }
    }

    /** Tomcat's processor, with the connection it currently serves reachable. */
    static final class Tracked extends Http11Processor {
        Tracked(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
            super(protocol, adapter);
        }

        SocketWrapperBase<?> connection() {
            return getSocketWrapper();
        }
    }
}

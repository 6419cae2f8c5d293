package org.cagate.demo;

import org.cagate.agent.AgentMain;

/**
 * The main class of the demo's agent JVM: the agent's own main, plus an exit when the demo's JVM ends,
 * so an agent is never left behind even when the demo is killed without running its shutdown hook.
 */
public final class AgentChild {

    private AgentChild() {}

    public static void main(String[] args) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        AgentMain.main(args);
    }
}

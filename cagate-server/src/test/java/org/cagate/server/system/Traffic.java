package org.cagate.server.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.cagate.server.testing.ApiClient;

/** Every request a test made, with when it started and ended and what came back, for figures and checks. */
final class Traffic {

    /**
     * One request.
     *
     * @param response null when no answer came (the connection failed or timed out; {@code error} says why)
     */
    record Sample(String step, int port, long startNanos, long endNanos, ApiClient.Response response, String error) {

        double millis() {
            return (endNanos - startNanos) / 1e6;
        }

        int status() {
            return response == null ? 0 : response.status();
        }

        boolean ok() {
            return response != null && response.status() >= 200 && response.status() < 300;
        }

        /** 503 problem+json with code SERVICE_UNAVAILABLE: what a database outage must answer. */
        boolean unavailable() {
            return response != null
                    && response.status() == 503
                    && String.valueOf(response.header("Content-Type")).startsWith("application/problem+json")
                    && "SERVICE_UNAVAILABLE".equals(response.code());
        }

        /** "200", "503 SERVICE_UNAVAILABLE", "io HttpTimeoutException", ... */
        String outcome() {
            if (response == null) {
                return "io " + error;
            }
            String type = String.valueOf(response.header("Content-Type"));
            return response.status()
                    + (type.startsWith("application/problem+json") ? " " + response.code() : "")
                    + (response.status() >= 400 && !type.startsWith("application/problem+json") ? " " + type : "");
        }

        @Override
        public String toString() {
            return step + " on " + port + ": " + outcome() + " in " + Math.round(millis()) + " ms";
        }
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

    /** Sends one request through {@code call}, records it and returns the record. */
    Sample send(String step, int port, Supplier<ApiClient.Response> call) {
        long start = System.nanoTime();
        ApiClient.Response response = null;
        String error = null;
        try {
            response = call.get();
        } catch (IllegalStateException e) { // ApiClient's wrapper of an IOException
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error = cause.getClass().getSimpleName();
        }
        Sample sample =
                new Sample(step, response == null ? port : response.port(), start, System.nanoTime(), response, error);
        samples.add(sample);
        return sample;
    }

    List<Sample> all() {
        return new ArrayList<>(samples);
    }

    List<Sample> where(Predicate<Sample> filter) {
        return samples.stream().filter(filter).toList();
    }

    /** Counts by outcome, e.g. {200=512, 201=40, 503 SERVICE_UNAVAILABLE=77}. */
    static Map<String, Long> outcomes(List<Sample> samples) {
        return samples.stream().collect(Collectors.groupingBy(Sample::outcome, TreeMap::new, Collectors.counting()));
    }

    static double longestMillis(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::millis).max().orElse(0);
    }
}

package org.fundinggraph.localneo4j;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs Neo4j Community embedded, with the Bolt connector on a loopback address, so that a
 * machine without Docker or a Neo4j installation still gets a real database.
 *
 * <p>The Node.js side (src/db/local/) writes the neo4j.conf this class loads and passes the
 * password on standard input (not on the command line, where `ps` would show it); this class
 * holds no defaults of its own. A JVM shutdown hook shuts the database
 * down cleanly on SIGTERM/SIGINT, so stopping never leaves the store needing recovery.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("localneo4j.home")).toAbsolutePath();
        Path config = Path.of(required("localneo4j.config")).toAbsolutePath();
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("expected the neo4j user's password on standard input");
        }
        Files.createDirectories(home);

        long started = System.nanoTime();
        DatabaseManagementService dbms =
                new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(config).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("local-neo4j: shutting down");
            dbms.shutdown();
            System.out.println("local-neo4j: stopped cleanly");
            stopped.countDown();
        }, "local-neo4j-shutdown"));

        setPassword(dbms, password);
        System.out.printf("local-neo4j: ready after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        stopped.await();
    }

    /** Makes the `neo4j` user's password the configured one (Community has that one user). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the value it already has.
            if (!e.getMessage().contains("same")) {
                throw e;
            }
        }
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing system property " + name);
        }
        return value;
    }
}

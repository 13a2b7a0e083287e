package io.backplane.component.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.backplane.core.Event;
import io.backplane.test.SshdServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real OpenSSH server per test class (ansible is slow to start; sshd is not the part under test) and an inventory
 * that lists it as web01 (group web) with its real host key, plus a fresh Camel context per test.
 */
abstract class AnsibleTestSupport {

    /** A valid ed25519 key that is not the test server's: a "changed" host key. */
    static final String OTHER_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    @TempDir
    static Path dir;
    static SshdServer sshd;
    static Path inventory;

    CamelContext context;
    ProducerTemplate template;

    @BeforeAll
    static void startSshd() throws IOException {
        sshd = SshdServer.start(dir.resolve("sshd"));
        inventory = writeInventory("inventory.yml", sshd.hostKeyLine());
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @BeforeEach
    void startCamel() throws Exception {
        context = new DefaultCamelContext();
        context.getPropertiesComponent().addInitialProperty("backplane.inventory", inventory.toString());
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        if (context != null) {
            context.stop();
        }
    }

    /** An inventory listing the test sshd as web01 with {@code hostKey}, a host without keys, and groups. */
    static Path writeInventory(String name, String hostKey) throws IOException {
        String yaml = """
                all:
                  vars:
                    ansible_python_interpreter: /usr/bin/python3
                  hosts:
                    web01:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                      ansible_user: %s
                      ansible_ssh_private_key_file: %s
                      backplane_host_keys: "%s"
                    nokeys:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                  children:
                    web:
                      hosts:
                        web01: {}
                    empty:
                      hosts: {}
                """.formatted(sshd.port(), sshd.user(), sshd.clientKey(), hostKey, sshd.port());
        return Files.writeString(dir.resolve(name), yaml);
    }

    static Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** An executable shell script standing in for ansible-playbook where a test needs to see what would run. */
    static Path script(String name, String body) throws IOException {
        Path file = write(name, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    static Event event(String subject, Map<String, Object> data) {
        return Event.builder("monitor/alertmanager/NginxDown/firing").subject(subject).data(data).build();
    }

    /** Sends {@code cause} to {@code uri} and returns the exchange; its body is the result event. */
    Exchange send(String uri, Object cause) {
        return template.send(uri, e -> e.getMessage().setBody(cause));
    }

    Event result(String uri, Object cause) {
        Exchange exchange = send(uri, cause);
        return exchange.getMessage().getBody(Event.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> host(Event result, String name) {
        return (Map<String, Object>) ((Map<String, Object>) result.data().get("hosts")).get(name);
    }

    static String error(Event result) {
        return String.valueOf(result.data().get("error"));
    }
}

package io.backplane.component.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactStoreTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final List<FactStore> opened = new ArrayList<>();

    FactStore open(FactStore.Settings settings) {
        FactStore s = FactStore.open(settings, now::get, null);
        opened.add(s);
        return s;
    }

    FactStore open() {
        return open(FactStore.Settings.defaults(dir.resolve("data/state.json")));
    }

    FactStore.Settings limits(int maxKeys, int maxValueBytes, long maxBytes) {
        return new FactStore.Settings(dir.resolve("state.json"), FactStore.OnCorrupt.FAIL, maxKeys, maxValueBytes,
                maxBytes, 0, FactStore.Settings.DEFAULT_COMPACT_BYTES);
    }

    @AfterEach
    void close() {
        opened.forEach(FactStore::close);
    }

    @Test
    void setGetDeleteAndListByPrefix() {
        FactStore s = open();
        assertThat(s.set("alerts/firing/shop/HighErrorRate", Map.of("severity", "critical"), 0)).isNull();
        s.set("alerts/firing/shop/DiskFull", true, 0);
        s.set("alerts/firing/shopping/Other", 1, 0);
        s.set("maintenance/web01", "until friday", 0);
        assertThat(s.get("maintenance/web01").value()).isEqualTo("until friday");
        assertThat(s.get("nothing")).isNull();
        assertThat(s.list("alerts/firing/shop/")).extracting(Fact::key)
                .containsExactly("alerts/firing/shop/DiskFull", "alerts/firing/shop/HighErrorRate");
        assertThat(s.list("")).hasSize(4);
        Fact previous = s.set("maintenance/web01", List.of(1, 2.5, "x"), 0);
        assertThat(previous.value()).isEqualTo("until friday");
        assertThat(s.delete("maintenance/web01").value()).isEqualTo(List.of(1, 2.5, "x"));
        assertThat(s.delete("maintenance/web01")).isNull();
        assertThat(s.deletePrefix("alerts/firing/shop/")).hasSize(2);
        assertThat(s.list("alerts/")).extracting(Fact::key).containsExactly("alerts/firing/shopping/Other");
    }

    @Test
    void valuesAreReadOnlyCopies() {
        FactStore s = open();
        Map<String, Object> value = new java.util.HashMap<>(Map.of("a", new ArrayList<>(List.of(1))));
        s.set("k", value, 0);
        value.put("b", 2);
        Object stored = s.get("k").value();
        assertThat(stored).isEqualTo(Map.of("a", List.of(1)));
        assertThatThrownBy(() -> ((Map<String, Object>) stored).put("c", 3))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badKeysAndValuesAreRefusedWithTheReason() {
        FactStore s = open();
        assertThatThrownBy(() -> s.set("", 1, 0)).hasMessage("the key is empty");
        assertThatThrownBy(() -> s.set("maintenance/", 1, 0))
                .hasMessageContaining("key 'maintenance/' ends with '/'");
        assertThatThrownBy(() -> s.set("a\nb", 1, 0)).hasMessageContaining("contains a control character");
        assertThatThrownBy(() -> s.set("x".repeat(1025), 1, 0)).hasMessageContaining("over the limit of 1024");
        assertThatThrownBy(() -> s.set("k", null, 0)).hasMessageContaining("no value for k")
                .hasMessageContaining("state:delete");
        assertThatThrownBy(() -> s.set("k", Double.NaN, 0)).hasMessageContaining("which JSON cannot hold");
        assertThatThrownBy(() -> s.set("k", new Object(), 0)).hasMessageContaining("is a java.lang.Object, not a "
                                                                                     + "JSON value");
        assertThatThrownBy(() -> s.set("k", Map.of(1, 2), 0)).hasMessageContaining("non-string key 1");
        assertThatThrownBy(() -> s.set("k", 1, -5)).hasMessageContaining("ttl must be positive");
        assertThat(s.size()).isZero();
    }

    @Test
    void expiredFactsVanishOnReadAndArePurged() {
        FactStore s = open();
        List<FactChange> changes = new ArrayList<>();
        s.addListener(changes::add);
        s.set("maintenance/web01", true, 60_000);
        s.set("maintenance/web02", true, 120_000);
        s.set("forever", 1, 0);
        assertThat(s.get("maintenance/web01").expiresText()).isEqualTo("2023-11-14T22:14:20Z");
        now.addAndGet(60_000);
        assertThat(s.get("maintenance/web01")).isNull();
        assertThat(s.list("maintenance/")).extracting(Fact::key).containsExactly("maintenance/web02");
        now.addAndGet(60_000);
        assertThat(s.size()).isEqualTo(2); // web02 is expired but not yet purged
        assertThat(s.purgeExpired()).isEqualTo(1);
        assertThat(s.size()).isEqualTo(1);
        assertThat(changes).extracting(c -> c.kind() + " " + c.key()).containsExactly(
                "SET maintenance/web01", "SET maintenance/web02", "SET forever",
                "EXPIRED maintenance/web01", "EXPIRED maintenance/web02");
    }

    @Test
    void factsSurviveARestartAndTtlCountsAcrossIt() {
        FactStore s = open();
        s.set("maintenance/web01", true, 60_000);
        s.set("registers/error-rate/shop", 0.02, 0);
        s.set("alerts/firing/shop/HighErrorRate", Map.of("labels", Map.of("severity", "critical")), 0);
        s.set("gone", "x", 0);
        s.delete("gone");
        s.close();

        FactStore again = open();
        assertThat(again.get("maintenance/web01").value()).isEqualTo(true);
        assertThat(again.get("maintenance/web01").expires()).isEqualTo(now.get() + 60_000);
        assertThat(again.get("registers/error-rate/shop").value()).isEqualTo(0.02);
        assertThat(again.get("alerts/firing/shop/HighErrorRate").value())
                .isEqualTo(Map.of("labels", Map.of("severity", "critical")));
        assertThat(again.get("gone")).isNull();
        again.close();

        now.addAndGet(61_000); // the process was down while the TTL passed
        FactStore later = open();
        assertThat(later.get("maintenance/web01")).isNull();
        assertThat(later.size()).isEqualTo(2);
    }

    @Test
    void aChangeIsInTheFileBeforeSetReturns() throws Exception {
        // what a crash of the process (kill -9) would leave: the store is never closed
        FactStore s = open();
        s.set("maintenance/web01", "crash test", 0);
        String text = Files.readString(dir.resolve("data/state.json"));
        assertThat(text).startsWith("{\"format\":\"backplane-state\",\"version\":1,")
                .contains("{\"op\":\"set\",\"key\":\"maintenance/web01\",\"updated\":" + now.get()
                          + ",\"value\":\"crash test\"}\n");
    }

    @Test
    void anIncompleteLastRecordIsIgnored() throws Exception {
        FactStore s = open();
        s.set("a", 1, 0);
        s.close();
        Path file = dir.resolve("data/state.json");
        Files.writeString(file, "{\"op\":\"set\",\"key\":\"b\",\"upd", java.nio.file.StandardOpenOption.APPEND);
        FactStore again = open();
        assertThat(again.list("")).extracting(Fact::key).containsExactly("a");
        assertThat(Files.readString(file)).doesNotContain("\"key\":\"b\""); // compacted at start
    }

    @Test
    void aCorruptFileFailsTheStartAndIsKeptAsIs() throws Exception {
        Path file = dir.resolve("data/state.json");
        FactStore s = open();
        s.set("a", 1, 0);
        s.close();
        String good = Files.readString(file);
        Files.writeString(file, good + "{not json}\n{\"op\":\"set\",\"key\":\"b\",\"updated\":1,\"value\":2}\n");
        String corrupt = Files.readString(file);

        assertThatThrownBy(this::open).isInstanceOf(StateException.File.class)
                .hasMessageContaining("state file " + file + " is corrupt: line 3 is not valid JSON")
                .hasMessageContaining("backplane.state.on-corrupt=fail")
                .hasMessageContaining("backplane.state.on-corrupt=start-empty");
        assertThat(Files.readString(file)).isEqualTo(corrupt);
        assertThat(asideCopies()).hasSize(1);
        assertThat(Files.readString(asideCopies().get(0))).isEqualTo(corrupt);
        // a restart loop keeps failing, and does not pile up copies
        assertThatThrownBy(this::open).hasMessageContaining("is corrupt");
        assertThat(asideCopies()).hasSize(1);
    }

    @Test
    void aCorruptFileIsMovedAsideWhenStartingEmptyIsAllowed() throws Exception {
        Path file = dir.resolve("data/state.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"some\":\"other json\"}\n");
        FactStore s = open(new FactStore.Settings(file, FactStore.OnCorrupt.START_EMPTY, 10, 1024, 100_000, 0,
                1 << 20));
        assertThat(s.size()).isZero();
        assertThat(asideCopies()).hasSize(1);
        assertThat(Files.readString(asideCopies().get(0))).isEqualTo("{\"some\":\"other json\"}\n");
        assertThat(asideCopies().get(0).getFileName().toString()).matches("state\\.json\\.corrupt-\\d{8}T\\d{9}Z");
        s.set("a", 1, 0);
        s.close();
        assertThat(open().get("a").value()).isEqualTo(1);
    }

    @Test
    void corruptRecordsAreNamed() throws Exception {
        Path file = dir.resolve("data/state.json");
        Files.createDirectories(file.getParent());
        String header = "{\"format\":\"backplane-state\",\"version\":1}\n";
        Map<String, String> cases = Map.of(
                "{\"format\":\"other\"}\n", "line 1 is not a Backplane state file header",
                header + "{\"op\":\"set\",\"key\":\"a\",\"updated\":1}\n", "line 2 (set a) has no value",
                header + "{\"op\":\"zap\",\"key\":\"a\"}\n", "line 2 has an unknown op 'zap'",
                header + "[1]\n", "line 2 is not a JSON object",
                header + "{\"op\":\"del\"}\n", "line 2 has no key");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(file, c.getKey());
            assertThatThrownBy(this::open).as(c.getKey()).hasMessageContaining(c.getValue());
        }
        Files.write(file, new byte[] { '{', (byte) 0xC3, '}', '\n' });
        assertThatThrownBy(this::open).hasMessageContaining("is not UTF-8");
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefused() {
        open();
        assertThatThrownBy(this::open).isInstanceOf(StateException.File.class)
                .hasMessageContaining("is in use by another Backplane");
    }

    @Test
    void maxKeysRefusesNewKeysButExpiredOnesMakeRoom() {
        FactStore s = open(limits(3, 1024, 1 << 20));
        s.set("a", 1, 0);
        s.set("b", 1, 0);
        s.set("c", 1, 1000);
        assertThatThrownBy(() -> s.set("d", 1, 0)).isInstanceOf(StateException.Full.class)
                .hasMessage("state is full: 3 facts, the limit of backplane.state.max-keys; refused to set d "
                            + "(delete facts or give them a ttl)");
        s.set("a", 2, 0); // replacing stays within the limit
        now.addAndGet(1000);
        s.set("d", 1, 0); // c expired: purged to make room
        assertThat(s.list("")).extracting(Fact::key).containsExactly("a", "b", "d");
    }

    @Test
    void valueAndTotalSizesAreBounded() {
        FactStore s = open(limits(100, 100, 1024));
        assertThatThrownBy(() -> s.set("big", "x".repeat(100), 0)).isInstanceOf(StateException.Full.class)
                .hasMessage("value for big is 102 bytes of JSON, over the limit of 100 "
                            + "(backplane.state.max-value-bytes)");
        for (int i = 0; i < 8; i++) {
            s.set("k" + i, "x".repeat(60), 0); // 119 bytes a record
        }
        assertThatThrownBy(() -> s.set("k8", "x".repeat(60), 0)).isInstanceOf(StateException.Full.class)
                .hasMessageContaining("over the limit of 1024 (backplane.state.max-bytes)");
        assertThat(s.bytes()).isLessThanOrEqualTo(1024);
    }

    @Test
    void theFileIsCompactedWhenItGrows() throws Exception {
        Path file = dir.resolve("state.json");
        FactStore s = open(new FactStore.Settings(file, FactStore.OnCorrupt.FAIL, 100, 1024, 1 << 20, 0, 4096));
        for (int i = 0; i < 500; i++) {
            s.set("counter", i, 0);
        }
        s.set("other", "kept", 0);
        assertThat(Files.size(file)).isLessThan(8192);
        s.close();
        FactStore again = open(new FactStore.Settings(file, FactStore.OnCorrupt.FAIL, 100, 1024, 1 << 20, 0, 4096));
        assertThat(again.get("counter").value()).isEqualTo(499);
        assertThat(again.get("other").value()).isEqualTo("kept");
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(3);
    }

    @Test
    void inMemoryStoreWritesNoFile() {
        FactStore s = open(new FactStore.Settings(null, FactStore.OnCorrupt.FAIL, 10, 100, 10_000, 0, 4096));
        s.set("a", 1, 0);
        assertThat(s.get("a").value()).isEqualTo(1);
        assertThat(s.fileSize()).isZero();
    }

    private List<Path> asideCopies() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("data").toFile().exists() ? dir.resolve("data") : dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-")).sorted().toList();
        }
    }
}

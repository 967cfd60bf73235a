package io.archipelago.projections.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainKeysTest {

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @Test
    void eachCheckpointIsCheckedWithTheKeyOfTheNodeItNames() {
        ChainSigningKey a = ChainSigningKey.of(null, null, dirA);
        ChainSigningKey b = ChainSigningKey.of(null, null, dirB);
        ChainKeys keys = ChainKeys.of(List.of("node-a=" + a.publicKeyText(), "node-b=" + publicFile(dirB)));

        assertThat(keys.check(signed("node-a", a))).isEqualTo(ChainKeys.Verdict.VALID);
        assertThat(keys.check(signed("node-b", b))).isEqualTo(ChainKeys.Verdict.VALID);
        assertThat(keys.check(signed("node-a", b))).isEqualTo(ChainKeys.Verdict.BAD_SIGNATURE);
        assertThat(keys.check(signed("node-c", a))).isEqualTo(ChainKeys.Verdict.UNKNOWN_NODE);
    }

    @Test
    void aKeyWithoutANodeVouchesForAnyNodeItVerifies() {
        ChainSigningKey a = ChainSigningKey.of(null, null, dirA);
        ChainSigningKey b = ChainSigningKey.of(null, null, dirB);
        // base64 X.509 of an Ed25519 key ends with its padding '=': it names no node
        assertThat(a.publicKeyText()).endsWith("=");
        ChainKeys keys = ChainKeys.of(List.of(a.publicKeyText()));

        assertThat(keys.check(signed("node-x", a))).isEqualTo(ChainKeys.Verdict.VALID);
        assertThat(keys.check(signed("node-x", b))).isEqualTo(ChainKeys.Verdict.BAD_SIGNATURE);
    }

    @Test
    void aFileListsOneNodeAndItsKeyALine() throws IOException {
        ChainSigningKey a = ChainSigningKey.of(null, null, dirA);
        ChainSigningKey b = ChainSigningKey.of(null, null, dirB);
        Path file = dirA.resolve("keys");
        Files.writeString(file, "# chain keys\n\nnode-a " + a.publicKeyText() + "\nnode-b   " + publicFile(dirB)
                + "\n");

        ChainKeys keys = ChainKeys.read(file);

        assertThat(keys.check(signed("node-b", b))).isEqualTo(ChainKeys.Verdict.VALID);
        assertThatThrownBy(() -> keys.and(ChainKeys.of(List.of("node-a=" + b.publicKeyText()))))
                .hasMessageContaining("node-a is given two different public keys");
    }

    @Test
    void aCheckpointWithoutANodeVerifiesAsItWasSigned() {
        ChainSigningKey a = ChainSigningKey.of(null, null, dirA);
        ChainCheckpoint named = signed("node-a", a);
        ChainCheckpoint line = ChainCheckpoint.parse(named.line());

        assertThat(line).isEqualTo(named);
        assertThat(a.keyId()).startsWith("key-").hasSize(20);
        assertThat(ChainCheckpoint.parse(named.line().replace(",\"node\":\"node-a\"", "")).node()).isNull();
    }

    private static ChainCheckpoint signed(String node, ChainSigningKey key) {
        return ChainCheckpoint.signed(7, 12, "ab".repeat(32), "2025-06-02T10:00:00Z", node, key);
    }

    private static String publicFile(Path dir) {
        return ChainSigningKey.publicFile(dir.resolve(ChainSigningKey.FILE)).toString();
    }
}

package io.archipelago.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSettingsTest {

    @Test
    void readsOneCommandLine() {
        AgentSettings settings = AgentSettings.parse("--name", "zurich-1", "--country", "CH", "--ask",
                "llm.chat.demo=1500", "--ask", "embed.minilm=200", "--slots", "4", "--schedule", "0-600,1440-2040",
                "--coordinator", "http://127.0.0.1:8080");

        assertThat(settings.owner()).isEqualTo("zurich-1");
        assertThat(settings.asks()).containsEntry("llm.chat.demo", 1500L).containsEntry("embed.minilm", 200L);
        assertThat(settings.schedule()).hasSize(2);
        assertThat(settings.schedule().get(1)).containsExactly(1440, 2040);
        assertThat(settings.runtime()).isEqualTo("demo");
    }

    @Test
    void takesTheOwnersKeyFromTheCommandLine() {
        AgentSettings settings = AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1",
                "--coordinator", "http://h", "--key", "ak-the-owners-key");

        assertThat(settings.key()).isEqualTo("ak-the-owners-key");
        assertThat(settings.withKey("ak-another").key()).isEqualTo("ak-another");
    }

    @Test
    void readsTheMemoryOfferedToPipelineStagesAndRefusesOneOutOfRange() {
        AgentSettings settings = AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1",
                "--coordinator", "http://h", "--memory-mib", "2048");

        assertThat(settings.memoryMib()).isEqualTo(2048L);
        assertThat(settings.withKey("ak-another").memoryMib()).isEqualTo(2048L);
        assertThat(AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1", "--coordinator",
                "http://h").memoryMib()).isNull();
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1",
                "--coordinator", "http://h", "--memory-mib", "-1")).hasMessageContaining("--memory-mib");
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1",
                "--coordinator", "http://h", "--memory-mib", "lots")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheMachinesMemoryFromMeminfoAndNothingFromAFileWithoutIt(@TempDir Path dir) throws IOException {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal:       24578136 kB\n"
                + "MemFree:         1000000 kB\n");
        Path other = Files.writeString(dir.resolve("other"), "SwapTotal: 0 kB\n");

        assertThat(OfferedMemory.machineMib(meminfo)).hasValue(24_578_136L / 1024);
        assertThat(OfferedMemory.machineMib(other)).isEmpty();
        assertThat(OfferedMemory.machineMib(dir.resolve("missing"))).isEmpty();
        assertThat(OfferedMemory.mib()).isPositive()
                .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--coordinator", "http://h"))
                .hasMessageContaining("--ask");
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1",
                "--coordinator", "http://h", "--runtime", "openai-upstream")).hasMessageContaining("--upstream");
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "a=1",
                "--coordinator", "http://h", "--colour", "red")).hasMessageContaining("colour");
    }

    @Test
    void readsContainerCargosWithTheirRegistryAndImageKeys() {
        String image = "cargos/echo@sha256:" + "ab".repeat(32);
        AgentSettings settings = AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "echo=1",
                "--coordinator", "http://h", "--registry", "http://127.0.0.1:5000", "--container", "echo=" + image,
                "--image-key", "/etc/archipelago/cosign.pub");

        assertThat(settings.registry()).hasToString("http://127.0.0.1:5000");
        assertThat(settings.containers()).containsEntry("echo", image);
        assertThat(settings.imageKeys()).extracting(Object::toString).containsExactly("/etc/archipelago/cosign.pub");
    }

    @Test
    void refusesContainerCargosNamedByTagOrWithoutRegistryOrKey() {
        String image = "cargos/echo@sha256:" + "ab".repeat(32);
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "echo=1",
                "--coordinator", "http://h", "--registry", "http://r", "--image-key", "k.pub",
                "--container", "echo=cargos/echo:latest")).hasMessageContaining("sha256:DIGEST");
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "echo=1",
                "--coordinator", "http://h", "--registry", "http://r", "--container", "echo=" + image))
                .hasMessageContaining("--image-key");
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "other=1",
                "--coordinator", "http://h", "--registry", "http://r", "--image-key", "k.pub",
                "--container", "echo=" + image)).hasMessageContaining("--ask echo=PRICE");
    }

    @Test
    void readsAContainerCargoThatRunsOnlyThePublishedVersionsItsOffersName() {
        AgentSettings settings = AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "echo=1",
                "--coordinator", "http://h", "--registry", "http://127.0.0.1:5000", "--container", "echo");

        assertThat(settings.containers()).containsEntry("echo", "");
        assertThat(settings.imageKeys()).as("the offer carries each version's publisher key").isEmpty();
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "echo=1",
                "--coordinator", "http://h", "--container", "echo")).hasMessageContaining("--registry");
        assertThatThrownBy(() -> AgentSettings.parse("--name", "x", "--country", "CH", "--ask", "echo=1",
                "--coordinator", "http://h", "--registry", "http://r", "--container", "=x"))
                .hasMessageContaining("--container is CARGO");
    }
}

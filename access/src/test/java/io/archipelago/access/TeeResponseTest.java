package io.archipelago.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** The copy an idempotency key keeps of its first answer: every byte sent, bounded, forgotten on a reset. */
class TeeResponseTest {

    @Test
    void keepsEveryByteSentAndTheHeadersARetryNeeds() throws Exception {
        MockHttpServletResponse client = new MockHttpServletResponse();
        TeeResponse tee = new TeeResponse(client, 64);
        tee.setHeader("X-Archipelago-Job-Id", "chatcmpl-1");
        tee.setHeader("Location", "/jobs/chatcmpl-1");
        tee.setHeader("Vary", "Origin");
        tee.getOutputStream().write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
        tee.getOutputStream().write('x');
        tee.getWriter().print("yz");
        tee.flushBuffer();

        assertThat(client.getContentAsString()).isEqualTo("data: one\n\nxyz");
        assertThat(new String(tee.body(), StandardCharsets.UTF_8)).isEqualTo("data: one\n\nxyz");
        assertThat(tee.keptHeaders()).containsOnlyKeys("X-Archipelago-Job-Id", "Location");
        assertThat(tee.clientGone()).isFalse();
    }

    @Test
    void dropsItsCopyBeyondTheBoundButSendsEverything() throws Exception {
        MockHttpServletResponse client = new MockHttpServletResponse();
        TeeResponse tee = new TeeResponse(client, 8);
        tee.getOutputStream().write("12345".getBytes(StandardCharsets.UTF_8));
        tee.getOutputStream().write("67890".getBytes(StandardCharsets.UTF_8));

        assertThat(tee.body()).isNull();
        assertThat(client.getContentAsString()).isEqualTo("1234567890");
    }

    @Test
    void aResetBeforeTheAnswerIsSentForgetsWhatWasWritten() throws Exception {
        MockHttpServletResponse client = new MockHttpServletResponse();
        TeeResponse tee = new TeeResponse(client, 8);
        tee.getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
        tee.resetBuffer();
        tee.getOutputStream().write("whole".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(tee.body(), StandardCharsets.UTF_8)).isEqualTo("whole");
    }
}

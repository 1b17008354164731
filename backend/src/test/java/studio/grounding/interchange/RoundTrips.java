package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import studio.grounding.annotation.PhraseSpan;

/** What a round trip must preserve: file names, captions, spans, phrase texts and RLE strings in order. */
final class RoundTrips {

    private RoundTrips() {
    }

    static void assertSameContent(List<SourceRecord> expected, List<SourceRecord> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            SourceRecord e = expected.get(i);
            SourceRecord a = actual.get(i);
            assertThat(a.fileName()).isEqualTo(e.fileName());
            assertThat(a.height()).isEqualTo(e.height());
            assertThat(a.width()).isEqualTo(e.width());
            assertThat(a.caption().caption()).isEqualTo(e.caption().caption());
            assertThat(a.caption().phrases()).hasSameSizeAs(e.caption().phrases());
            for (int k = 0; k < e.caption().phrases().size(); k++) {
                PhraseSpan pe = e.caption().phrases().get(k);
                PhraseSpan pa = a.caption().phrases().get(k);
                assertThat(pa).isEqualTo(pe);
            }
        }
    }
}

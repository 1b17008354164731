package studio.grounding.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void charactersAreLevenshtein() {
        // kitten -> sitting: k->s, e->i, insert g
        assertThat(EditDistance.characters("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.characters("", "abc")).isEqualTo(3);
        assertThat(EditDistance.characters("same", "same")).isZero();
    }

    @Test
    void wordsAreLevenshteinOverWhitespaceSeparatedWords() {
        // the cat sat -> the dog sat down: cat->dog, insert down
        assertThat(EditDistance.words("the cat sat", "the  dog sat down")).isEqualTo(2);
        assertThat(EditDistance.words("  ", "one")).isEqualTo(1);
    }

    @Test
    void alignmentMapsOnlyKeptCharacters() {
        // "dog" -> "a big dog": "a big " inserted, every old character kept
        assertThat(EditDistance.alignment("dog", "a big dog")).containsExactly(6, 7, 8);
        // "tree" -> "ball": four substitutions, nothing kept
        assertThat(EditDistance.alignment("a tree", "a ball")).containsExactly(0, 1, -1, -1, -1, -1);
    }
}

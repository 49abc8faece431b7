package dev.nabla.models.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one refusal every objective-only model gives for another trainer. */
class ObjectiveTrainerRequireTest {
    @Test
    void anotherTrainerIsRefusedNamingTheModelAndBothTrainers() {
        assertDoesNotThrow(() -> ObjectiveTrainer.requireFor("vae", "objective", "its ELBO"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectiveTrainer.requireFor("vae", "mle", "its ELBO"));
        assertEquals("model 'vae' trains with trainer 'objective' (its ELBO), not 'mle'", e.getMessage());
    }
}

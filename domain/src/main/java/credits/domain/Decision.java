package credits.domain;

import java.util.Objects;

/** What {@link CreditState} decided about a money move: the change to write, or a refusal that writes nothing. */
public sealed interface Decision {

    record Apply(Change change) implements Decision {
        public Apply {
            Objects.requireNonNull(change, "change");
            if (change.move().isEmpty()) {
                throw new IllegalArgumentException("an applied move has its own entry");
            }
        }

        /** The outcome the caller sees once the change is written. */
        public MoveOutcome outcome() {
            return new MoveOutcome.Applied(change.move().orElseThrow());
        }
    }

    record Refuse(MoveOutcome outcome) implements Decision {
        public Refuse {
            Objects.requireNonNull(outcome, "outcome");
            if (outcome instanceof MoveOutcome.Applied) {
                throw new IllegalArgumentException("a refusal moves nothing");
            }
        }
    }
}

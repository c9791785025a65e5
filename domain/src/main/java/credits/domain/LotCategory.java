package credits.domain;

import java.util.Locale;
import java.util.Optional;

/** What a lot's money is: deposited by the user ({@code paid}, never expires) or given by the platform. */
public enum LotCategory {
    PROMOTIONAL, PAID;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The lower-case name the API and the database use. */
    public String code() {
        return code;
    }

    /** The category {@code code} names, if any. */
    public static Optional<LotCategory> fromCode(String code) {
        for (LotCategory category : values()) {
            if (category.code.equals(code)) {
                return Optional.of(category);
            }
        }
        return Optional.empty();
    }
}

package credits.domain;

import java.util.Locale;
import java.util.Optional;

/** Where a hold is in its life: active until it is captured, released or expires, which happens once. */
public enum HoldStatus {
    ACTIVE, CAPTURED, RELEASED, EXPIRED;

    private final String code;

    HoldStatus() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name the API and the database use. */
    public String code() {
        return code;
    }

    public static Optional<HoldStatus> fromCode(String code) {
        for (HoldStatus status : values()) {
            if (status.code.equals(code)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}

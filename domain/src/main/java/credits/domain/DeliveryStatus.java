package credits.domain;

/** Where one event's delivery to one endpoint stands. */
public enum DeliveryStatus {
    /** Not yet answered with a 2xx; an attempt is due at its next attempt time. */
    PENDING("pending"),
    /** An attempt was answered with a 2xx. */
    DELIVERED("delivered"),
    /** Every attempt of the retry schedule failed; nothing more is sent. */
    FAILED("failed");

    private final String code;

    DeliveryStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static DeliveryStatus of(String code) {
        for (DeliveryStatus status : values()) {
            if (status.code.equals(code)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown delivery status " + code);
    }
}

package credits.domain;

/**
 * The free text a ledger entry may carry: a usage {@code reference} (what was charged for) and an
 * admin's {@code reason}. Bounded, and free of control characters other than line breaks in a
 * reason, so what finance reads in the ledger is what was meant.
 */
public final class LedgerText {

    public static final int MAX_REFERENCE_LENGTH = 255;
    public static final int MAX_REASON_LENGTH = 1000;

    private LedgerText() {
    }

    public static String reference(String text) {
        return checked(text, MAX_REFERENCE_LENGTH, false);
    }

    /** A top-up's payment reference (e.g. the on-chain transaction hash) and its memo. */
    public static String paymentReference(String text) {
        return checked(text, MAX_REFERENCE_LENGTH, false);
    }

    public static String memo(String text) {
        return checked(text, MAX_REFERENCE_LENGTH, false);
    }

    public static String reason(String text) {
        return checked(text, MAX_REASON_LENGTH, true);
    }

    private static String checked(String text, int maxLength, boolean lineBreaksAllowed) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException("must not be empty");
        }
        if (text.length() > maxLength * 2 || text.codePointCount(0, text.length()) > maxLength) {
            throw new InvalidValueException("must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if (Character.isISOControl(c) && !(lineBreaksAllowed && lineBreak)) {
                throw new InvalidValueException("must not contain control characters");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw new InvalidValueException("must be valid Unicode");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidValueException("must be valid Unicode");
            }
        }
        return text;
    }
}

package credits.domain;

/**
 * The id of a developer (a user of the platform): 1–255 characters (code points, as PostgreSQL counts them),
 * no control characters. Ids come from JWT subjects, so nothing narrower is assumed.
 */
public record UserId(String value) {

    public static final int MAX_LENGTH = 255;

    public UserId {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("user id must not be empty");
        }
        // Cheap bound first so a huge string is refused without counting code points.
        if (value.length() > MAX_LENGTH * 2 || value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new InvalidValueException("user id must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidValueException("user id must not contain control characters");
            }
            if (Character.isSurrogate(c) && !validSurrogateAt(value, i)) {
                throw new InvalidValueException("user id must be valid Unicode");
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
    }

    private static boolean validSurrogateAt(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

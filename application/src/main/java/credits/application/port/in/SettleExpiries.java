package credits.application.port.in;

/** The background sweep: writes the expiry entries owed by now, for users nobody else is moving. */
public interface SettleExpiries {

    /** How many users one pass settles at most; a pass that hits it runs again at once. */
    int USERS_PER_PASS = 100;

    /** @return how many users had expiries written in this pass */
    int settleOnce();
}

package credits.application.port.in;

/** The dispatcher's pass: sends the deliveries due now and records what each came to. */
public interface DeliverWebhooks {

    /** How many deliveries one pass claims at most, all sent at once; a pass that hits it runs again at once. */
    int DELIVERIES_PER_PASS = 8;

    /** @return how many deliveries this pass attempted */
    int deliverOnce();
}

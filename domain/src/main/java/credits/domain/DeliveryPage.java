package credits.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A page of an endpoint's deliveries, newest first, and the cursor of the next page when there is one. */
public record DeliveryPage(List<Delivery> deliveries, Optional<HistoryCursor> next) {

    public DeliveryPage {
        deliveries = List.copyOf(deliveries);
        Objects.requireNonNull(next, "next");
    }
}

package credits.adapters.http;

import credits.application.port.in.CaptureHold;
import credits.application.port.in.CreateWebhookEndpoint;
import credits.application.port.in.DeleteWebhookEndpoint;
import credits.application.port.in.GetLowBalanceThreshold;
import credits.application.port.in.ListWebhookDeliveries;
import credits.application.port.in.ListWebhookEndpoints;
import credits.application.port.in.SetLowBalanceThreshold;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.FindHold;
import credits.application.port.in.ListHolds;
import credits.application.port.in.PlaceHold;
import credits.application.port.in.ReleaseHold;
import credits.application.port.in.FindCredit;
import credits.application.port.in.GetOrCreateCredit;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.ListLots;
import credits.application.port.in.ListTransactions;
import credits.application.port.in.RefundDeduction;
import credits.application.port.in.TopupCredits;

import java.util.Objects;

/** Every use case the HTTP adapter drives, so {@code bootstrap} hands them over in one piece. */
public record UseCases(GetOrCreateCredit getOrCreateCredit, FindCredit findCredit, GrantCredits grantCredits,
                       TopupCredits topupCredits, DeductCredits deductCredits, RefundDeduction refundDeduction,
                       ListTransactions listTransactions, ListLots listLots, PlaceHold placeHold, CaptureHold captureHold,
                       ReleaseHold releaseHold, FindHold findHold, ListHolds listHolds,
                       GetLowBalanceThreshold getLowBalanceThreshold, SetLowBalanceThreshold setLowBalanceThreshold,
                       CreateWebhookEndpoint createWebhookEndpoint, ListWebhookEndpoints listWebhookEndpoints,
                       DeleteWebhookEndpoint deleteWebhookEndpoint, ListWebhookDeliveries listWebhookDeliveries) {

    public UseCases {
        Objects.requireNonNull(getOrCreateCredit, "getOrCreateCredit");
        Objects.requireNonNull(findCredit, "findCredit");
        Objects.requireNonNull(grantCredits, "grantCredits");
        Objects.requireNonNull(topupCredits, "topupCredits");
        Objects.requireNonNull(deductCredits, "deductCredits");
        Objects.requireNonNull(refundDeduction, "refundDeduction");
        Objects.requireNonNull(listTransactions, "listTransactions");
        Objects.requireNonNull(listLots, "listLots");
        Objects.requireNonNull(placeHold, "placeHold");
        Objects.requireNonNull(captureHold, "captureHold");
        Objects.requireNonNull(releaseHold, "releaseHold");
        Objects.requireNonNull(findHold, "findHold");
        Objects.requireNonNull(listHolds, "listHolds");
        Objects.requireNonNull(getLowBalanceThreshold, "getLowBalanceThreshold");
        Objects.requireNonNull(setLowBalanceThreshold, "setLowBalanceThreshold");
        Objects.requireNonNull(createWebhookEndpoint, "createWebhookEndpoint");
        Objects.requireNonNull(listWebhookEndpoints, "listWebhookEndpoints");
        Objects.requireNonNull(deleteWebhookEndpoint, "deleteWebhookEndpoint");
        Objects.requireNonNull(listWebhookDeliveries, "listWebhookDeliveries");
    }
}

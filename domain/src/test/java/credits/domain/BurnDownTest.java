package credits.domain;

import credits.testing.Gen;
import credits.testing.PropertyCheck;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The burn-down order and the draws, and where refunds go back: the contract's rules as one pure function. */
class BurnDownTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final UserId USER = UserId.of("burn_down_user");
    private static final List<Optional<Instant>> EXPIRIES = List.of(Optional.empty(), Optional.of(NOW.minusSeconds(1)),
            Optional.of(NOW), Optional.of(NOW.plusMillis(1)), Optional.of(NOW.plusSeconds(3600)));

    @Test
    void lotsAreDrawnByPriorityThenSoonestExpiryThenPromotionalBeforePaidThenOldest() {
        Lot paidNeverExpiring = lot(LotCategory.PAID, 50, Optional.empty(), 1, 10);
        Lot promoNeverExpiring = lot(LotCategory.PROMOTIONAL, 50, Optional.empty(), 2, 10);
        Lot promoLater = lot(LotCategory.PROMOTIONAL, 50, Optional.of(NOW.plusSeconds(60)), 3, 10);
        Lot promoSooner = lot(LotCategory.PROMOTIONAL, 50, Optional.of(NOW.plusSeconds(30)), 4, 10);
        Lot promoNeverExpiringNewer = lot(LotCategory.PROMOTIONAL, 50, Optional.empty(), 5, 10);
        Lot firstByPriority = lot(LotCategory.PAID, 10, Optional.empty(), 6, 10);

        List<Draw> draws = BurnDown.draw(List.of(paidNeverExpiring, promoNeverExpiring, promoLater, promoSooner,
                promoNeverExpiringNewer, firstByPriority), Usdc.ofUnits(55), NOW).orElseThrow();

        assertThat(draws, is(List.of(new Draw(firstByPriority.id(), Usdc.ofUnits(10)),
                new Draw(promoSooner.id(), Usdc.ofUnits(10)), new Draw(promoLater.id(), Usdc.ofUnits(10)),
                new Draw(promoNeverExpiring.id(), Usdc.ofUnits(10)),
                new Draw(promoNeverExpiringNewer.id(), Usdc.ofUnits(10)),
                new Draw(paidNeverExpiring.id(), Usdc.ofUnits(5)))));
    }

    @Test
    void aLotCountsUntilOneUnitOfTimeBeforeItsExpiryAndNotAtIt() {
        Lot expiring = lot(LotCategory.PROMOTIONAL, 50, Optional.of(NOW), 1, 10);

        assertThat(BurnDown.draw(List.of(expiring), Usdc.ofUnits(10), NOW.minusNanos(1)).isPresent(), is(true));
        assertThat(BurnDown.draw(List.of(expiring), Usdc.ofUnits(1), NOW), is(Optional.empty()));
    }

    @Test
    void aRefundGoesBackLastDrawnFirstEachLotUpToWhatItGave() {
        EntryId first = new EntryId(UUID.randomUUID());
        EntryId second = new EntryId(UUID.randomUUID());
        List<Draw> drawn = List.of(new Draw(first, Usdc.ofUnits(30)), new Draw(second, Usdc.ofUnits(20)));

        List<Draw> partly = BurnDown.giveBack(drawn, List.of(), Usdc.ofUnits(25));
        List<Draw> rest = BurnDown.giveBack(drawn, partly, Usdc.ofUnits(25));

        assertThat(partly, is(List.of(new Draw(second, Usdc.ofUnits(20)), new Draw(first, Usdc.ofUnits(5)))));
        assertThat(rest, is(List.of(new Draw(first, Usdc.ofUnits(25)))));
        assertThrows(IllegalArgumentException.class, () -> BurnDown.giveBack(drawn, List.of(), Usdc.ofUnits(51)));
    }

    @Test
    void drawsTakeExactlyTheAmountInBurnDownOrderFromSpendableLotsOrNothingAtAll() {
        PropertyCheck.forAll(1000, (Gen<Asked>) BurnDownTest::lotsAndAmount).requireMoreThanPercent(5, "drawn", "refused").classify(asked -> {
            Optional<List<Draw>> draws = BurnDown.draw(asked.lots(), asked.amount(), NOW);
            long spendable = asked.lots().stream().mapToLong(lot -> lot.spendableAt(NOW).units()).sum();
            if (spendable < asked.amount().units()) {
                assertThat(draws, is(Optional.empty()));
                return "refused";
            }
            List<Lot> ordered = new ArrayList<>(asked.lots());
            ordered.sort(BurnDownTest::contractOrder);
            Map<EntryId, Lot> byId = new HashMap<>();
            ordered.forEach(lot -> byId.put(lot.id(), lot));
            long total = 0;
            int lastIndex = -1;
            for (Draw draw : draws.orElseThrow()) {
                Lot lot = byId.get(draw.lotId());
                int index = ordered.indexOf(lot);
                assertThat("drawn in burn-down order, each lot once", index > lastIndex, is(true));
                assertThat("never from an expired or empty lot", draw.amount().isZero(), is(false));
                assertThat(draw.amount(), lessThanOrEqualTo(lot.spendableAt(NOW)));
                // Every spendable lot before this one in the order was emptied first.
                for (int i = lastIndex + 1; i < index; i++) {
                    assertThat(ordered.get(i).spendableAt(NOW), is(Usdc.ZERO));
                }
                if (lastIndex >= 0) {
                    Draw previous = draws.get().get(draws.get().indexOf(draw) - 1);
                    assertThat("only the last draw may leave something in its lot", previous.amount(),
                            is(byId.get(previous.lotId()).spendableAt(NOW)));
                }
                total += draw.amount().units();
                lastIndex = index;
            }
            assertThat(total, is(asked.amount().units()));
            return "drawn";
        });
    }

    @Test
    void refundsInAnyStepsGiveBackExactlyWhatWasDrawnAndNeverMoreToALot() {
        PropertyCheck.forAll(500, (Gen<Asked>) BurnDownTest::lotsAndAmount).check(asked -> {
            Optional<List<Draw>> drawn = BurnDown.draw(asked.lots(), asked.amount(), NOW);
            if (drawn.isEmpty()) {
                return;
            }
            List<Draw> returned = new ArrayList<>();
            long left = asked.amount().units();
            long step = Math.max(1, left / 3);
            while (left > 0) {
                long now = Math.min(step, left);
                returned.addAll(BurnDown.giveBack(drawn.get(), returned, Usdc.ofUnits(now)));
                left -= now;
            }
            Map<EntryId, Long> back = new HashMap<>();
            returned.forEach(draw -> back.merge(draw.lotId(), draw.amount().units(), Long::sum));
            for (Draw draw : drawn.get()) {
                assertThat(back.getOrDefault(draw.lotId(), 0L), is(draw.amount().units()));
            }
            assertThat(back.keySet().size(), is(drawn.get().size()));
        });
    }

    // The contract's order written out again, independently of BurnDown.ORDER, as the oracle.
    private static int contractOrder(Lot lotA, Lot lotB) {
        LotTerms a = lotA.terms();
        LotTerms b = lotB.terms();
        if (a.priority() != b.priority()) {
            return a.priority() < b.priority() ? -1 : 1;
        }
        if (!a.expiresAt().equals(b.expiresAt())) {
            if (a.expiresAt().isEmpty() || b.expiresAt().isEmpty()) {
                return a.expiresAt().isEmpty() ? 1 : -1;
            }
            return a.expiresAt().get().isBefore(b.expiresAt().get()) ? -1 : 1;
        }
        if (a.category() != b.category()) {
            return a.category() == LotCategory.PROMOTIONAL ? -1 : 1;
        }
        return Long.compare(lotA.sequence(), lotB.sequence());
    }

    private record Asked(List<Lot> lots, Usdc amount) {
    }

    // Few priorities and expiries, so that every tie-breaker of the order is exercised.
    private static Asked lotsAndAmount(SplittableRandom random) {
        int count = 1 + random.nextInt(6);
        List<Lot> lots = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < count; i++) {
            long original = 1 + random.nextInt(1000);
            long remaining = random.nextInt(4) == 0 ? 0 : 1 + random.nextLong(original);
            LotCategory category = random.nextBoolean() ? LotCategory.PAID : LotCategory.PROMOTIONAL;
            Optional<Instant> expiry = category == LotCategory.PAID ? Optional.empty() : EXPIRIES.get(random.nextInt(EXPIRIES.size()));
            lots.add(new Lot(new EntryId(new UUID(random.nextLong(), random.nextLong())), USER,
                    new LotTerms(category, List.of(0, 10, 50, 100).get(random.nextInt(4)), expiry), i, Usdc.ofUnits(original),
                    Usdc.ofUnits(remaining), Usdc.ZERO, NOW));
            total += remaining;
        }
        return new Asked(lots, Usdc.ofUnits(1 + random.nextLong(total + 200)));
    }

    private static Lot lot(LotCategory category, int priority, Optional<Instant> expiresAt, long sequence, long units) {
        return Lot.opened(new EntryId(UUID.randomUUID()), USER, new LotTerms(category, priority, expiresAt), sequence,
                Usdc.ofUnits(units), NOW);
    }
}

import { formatAmount, formatDate } from "@/components/format";
import type { NotificationView } from "@/server/services/alerts/alerts";
import { channelLabel, describeDelivery, describeReason, LEVEL_WORDS, REASON_WORDS, TONE_CLASSES } from "./describe";

/** A notification's dates: "Fri 12 Mar – Fri 19 Mar", "Fri 12 Mar, one way", or nothing. */
export function notificationDates(n: Pick<NotificationView, "departureDate" | "returnDate">): string {
  if (!n.departureDate) return "";
  return n.returnDate ? `${formatDate(n.departureDate)} – ${formatDate(n.returnDate)}` : `${formatDate(n.departureDate)}, one way`;
}

/** "£480 → £412", with the simulated label when the price came from the simulated market. */
export function PriceChange({ n }: { n: NotificationView }) {
  return (
    <p className="flex flex-wrap items-center gap-2">
      <span className="text-lg font-bold tabular-nums">
        {n.previousPrice ? (
          <>
            <span className="font-normal text-slate-600 line-through dark:text-slate-400" data-testid="notification-previous-price">
              <span className="sr-only">was </span>
              {formatAmount(n.previousPrice.amount, n.previousPrice.currency)}
            </span>{" "}
            <span aria-hidden="true">→</span> <span className="sr-only">now </span>
          </>
        ) : null}
        <span data-testid="notification-price">{formatAmount(n.price.amount, n.price.currency)}</span>
      </span>
      {n.price.simulated ? (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-100">Simulated price</span>
      ) : null}
    </p>
  );
}

/** Why it fired: the rule that speaks, and the others that fired with it. */
export function Reasons({ n }: { n: NotificationView }) {
  const others = n.reasons.filter((r) => r !== n.kind && r in REASON_WORDS).map((r) => REASON_WORDS[r as keyof typeof REASON_WORDS]);
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300">
      {capitalise(describeReason(n.kind, n.reference))}
      {others.length ? `; also ${others.join(", ")}` : ""}
      {n.level ? `. The price is ${LEVEL_WORDS[n.level]}` : ""}.
    </p>
  );
}

/** Each channel's delivery of it. */
export function Deliveries({ n }: { n: NotificationView }) {
  if (n.deliveries.length === 0) return <p className="text-xs text-slate-600 dark:text-slate-400">In the app only (no channel for this route).</p>;
  return (
    <ul className="flex flex-col gap-0.5 text-xs" aria-label="Deliveries">
      {n.deliveries.map((d) => {
        const { text, tone } = describeDelivery(d);
        return (
          <li key={d.channelId} data-testid="delivery" className="break-words">
            <span className="font-medium">{channelLabel(d)}:</span>{" "}
            <span className={TONE_CLASSES[tone]}>{text}</span>
          </li>
        );
      })}
    </ul>
  );
}

function capitalise(text: string): string {
  return text.slice(0, 1).toUpperCase() + text.slice(1);
}

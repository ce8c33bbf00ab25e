export { enqueueEmail, deliverBatch, describeSendError, outboxStatusCounts, DEFAULT_BACKOFF_MS, DEFAULT_CONCURRENCY, DEFAULT_LEASE_MS, DEFAULT_MAX_ATTEMPTS } from "./service.js";
export type { DeliverOptions, DeliveryResult, EnqueueOptions, OutboxLogger, OutboxTransport, OutgoingMail } from "./service.js";
export { startOutboxWorker } from "./worker.js";
export type { OutboxWorker, OutboxWorkerOptions } from "./worker.js";
export { createSmtpTransport } from "./transport.js";
export type { SmtpPoolOptions } from "./transport.js";
export { EmailMessageError, emailMessageSchema, parseEmailMessage } from "./schema.js";
export type { EmailMessage, OutboxStatus } from "./schema.js";

/** The Kraken emulator: what the facade's sandbox mode and the tests use. */
export { KrakenEmulator, type EmulatorOptions } from './emulator';
export type {
  Decision,
  EmulatorClient,
  FaultRule,
  FileType,
  RecordedRequest,
  SamplePeople,
  SeedFile,
  SeedFiles,
  SeedUser,
} from './types';
export { FILE_TYPES } from './types';
export {
  SAMPLE_APPROVED_USER_ID,
  SAMPLE_PENDING_USER_ID,
  SAMPLE_REJECTED_USER_ID,
  SAMPLE_PEOPLE,
} from './seed-people';
export {
  signWebhookBody,
  webhookBody,
  type WebhookDelivery,
  type WebhookEvent,
} from './webhook-sender';

// The events layer's public surface: what the daemon composes and the control plane calls.
export { EventBus, type EventBusOptions, type EventSource } from './event-bus.js';
export { eventEnvelope, headerValue, payloadLength, type EnvelopeFields } from './event-envelope.js';
export {
  payloadText,
  processLogEvent,
  processCommunicationEvent,
  remoteCommunicationEvent,
  processGroupEvent,
  supervisorStateEvent,
  tickEvent,
  type EventRecord,
  type TickPeriod,
} from './event-payloads.js';
export {
  feedListener,
  newListenerChannel,
  type ListenerChannel,
  type ListenerEffect,
} from './listener-protocol.js';

/**
 * The fixture deliveries (`fixtures/vapi/messages/<type>.json`, one realistic `{ message }` per type VAPI defines)
 * and replies (`fixtures/vapi/replies/<type>.json`, one per synchronous type), typed by VAPI's SDK.
 *
 * The maps below are checked against `@vapi-ai/server-sdk`'s types at compile time (`npm run typecheck`), so a
 * fixture that drifts from the SDK (a renamed or retyped field, a new required one, a type left out) fails the
 * build. A JSON import's strings are plain `string`, so the check widens the SDK's string enums to `string`;
 * enum values and formats are checked against VAPI's JSON schema at run time (`fixtures.spec.ts`).
 */
import type { VapiDelivery, VapiMessageType, VapiReplies, VapiSyncType } from './schema';
import assistantRequest from '../../fixtures/vapi/messages/assistant-request.json';
import assistantSpeechStarted from '../../fixtures/vapi/messages/assistant.speechStarted.json';
import callArtifactUpload from '../../fixtures/vapi/messages/call.artifact.upload.json';
import callDeleteFailed from '../../fixtures/vapi/messages/call.delete.failed.json';
import callDeleted from '../../fixtures/vapi/messages/call.deleted.json';
import callEndpointingRequest from '../../fixtures/vapi/messages/call.endpointing.request.json';
import campaignPredial from '../../fixtures/vapi/messages/campaign.predial.json';
import chatCreated from '../../fixtures/vapi/messages/chat.created.json';
import chatDeleted from '../../fixtures/vapi/messages/chat.deleted.json';
import conversationUpdate from '../../fixtures/vapi/messages/conversation-update.json';
import endOfCallReport from '../../fixtures/vapi/messages/end-of-call-report.json';
import handoffDestinationRequest from '../../fixtures/vapi/messages/handoff-destination-request.json';
import hang from '../../fixtures/vapi/messages/hang.json';
import knowledgeBaseRequest from '../../fixtures/vapi/messages/knowledge-base-request.json';
import languageChangeDetected from '../../fixtures/vapi/messages/language-change-detected.json';
import modelOutput from '../../fixtures/vapi/messages/model-output.json';
import phoneCallControl from '../../fixtures/vapi/messages/phone-call-control.json';
import sessionCreated from '../../fixtures/vapi/messages/session.created.json';
import sessionDeleted from '../../fixtures/vapi/messages/session.deleted.json';
import sessionUpdated from '../../fixtures/vapi/messages/session.updated.json';
import speechUpdate from '../../fixtures/vapi/messages/speech-update.json';
import statusUpdate from '../../fixtures/vapi/messages/status-update.json';
import toolCalls from '../../fixtures/vapi/messages/tool-calls.json';
import transcript from '../../fixtures/vapi/messages/transcript.json';
import transcriptFinal from '../../fixtures/vapi/messages/transcript[transcriptType=final].json';
import transferDestinationRequest from '../../fixtures/vapi/messages/transfer-destination-request.json';
import transferUpdate from '../../fixtures/vapi/messages/transfer-update.json';
import userInterrupted from '../../fixtures/vapi/messages/user-interrupted.json';
import voiceInput from '../../fixtures/vapi/messages/voice-input.json';
import voiceRequest from '../../fixtures/vapi/messages/voice-request.json';
import assistantRequestReply from '../../fixtures/vapi/replies/assistant-request.json';
import callEndpointingRequestReply from '../../fixtures/vapi/replies/call.endpointing.request.json';
import campaignPredialReply from '../../fixtures/vapi/replies/campaign.predial.json';
import handoffDestinationRequestReply from '../../fixtures/vapi/replies/handoff-destination-request.json';
import knowledgeBaseRequestReply from '../../fixtures/vapi/replies/knowledge-base-request.json';
import toolCallsReply from '../../fixtures/vapi/replies/tool-calls.json';
import transferDestinationRequestReply from '../../fixtures/vapi/replies/transfer-destination-request.json';
import voiceRequestReply from '../../fixtures/vapi/replies/voice-request.json';

/** The SDK's type with every string literal widened to `string`, as a JSON import types it. */
type Loose<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer Item)[]
        ? Loose<Item>[]
        : T extends object
          ? { [K in keyof T]: Loose<T[K]> }
          : T;

const MESSAGES = {
  'assistant-request': assistantRequest,
  'assistant.speechStarted': assistantSpeechStarted,
  'call.artifact.upload': callArtifactUpload,
  'call.delete.failed': callDeleteFailed,
  'call.deleted': callDeleted,
  'call.endpointing.request': callEndpointingRequest,
  'campaign.predial': campaignPredial,
  'chat.created': chatCreated,
  'chat.deleted': chatDeleted,
  'conversation-update': conversationUpdate,
  'end-of-call-report': endOfCallReport,
  'handoff-destination-request': handoffDestinationRequest,
  hang,
  'knowledge-base-request': knowledgeBaseRequest,
  'language-change-detected': languageChangeDetected,
  'model-output': modelOutput,
  'phone-call-control': phoneCallControl,
  'session.created': sessionCreated,
  'session.deleted': sessionDeleted,
  'session.updated': sessionUpdated,
  'speech-update': speechUpdate,
  'status-update': statusUpdate,
  'tool-calls': toolCalls,
  transcript,
  'transcript[transcriptType="final"]': transcriptFinal,
  'transfer-destination-request': transferDestinationRequest,
  'transfer-update': transferUpdate,
  'user-interrupted': userInterrupted,
  'voice-input': voiceInput,
  'voice-request': voiceRequest,
} satisfies { [T in VapiMessageType]: Loose<VapiDelivery<T>> };

const REPLIES = {
  'assistant-request': assistantRequestReply,
  'call.endpointing.request': callEndpointingRequestReply,
  'campaign.predial': campaignPredialReply,
  'handoff-destination-request': handoffDestinationRequestReply,
  'knowledge-base-request': knowledgeBaseRequestReply,
  'tool-calls': toolCallsReply,
  'transfer-destination-request': transferDestinationRequestReply,
  'voice-request': voiceRequestReply,
} satisfies { [T in VapiSyncType]: Loose<VapiReplies[T]> };

/** The file name of a type's fixture: the type, less the quotes of `transcript[transcriptType="final"]`. */
export const vapiFixtureFileName = (type: string) => `${type.replace(/"/g, '')}.json`;

/** A fresh copy of the fixture delivery of a type. */
export function vapiMessageFixture<T extends VapiMessageType>(type: T): VapiDelivery<T> {
  return structuredClone(MESSAGES[type]) as unknown as VapiDelivery<T>;
}

/** A fresh copy of the fixture reply to a synchronous type, bare as VAPI reads it. */
export function vapiReplyFixture<T extends VapiSyncType>(type: T): VapiReplies[T] {
  return structuredClone(REPLIES[type]) as unknown as VapiReplies[T];
}

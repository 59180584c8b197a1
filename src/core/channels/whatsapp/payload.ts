/**
 * The parts of a Cloud API webhook the gateway reads (field `messages`).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */
export interface WhatsAppWebhookBody {
  object?: string;
  entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: WhatsAppChangeValue }> }>;
}

export interface WhatsAppChangeValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: WhatsAppWireMessage[];
  statuses?: WhatsAppWireStatus[];
}

export interface WhatsAppWireMedia {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  /** On `audio`: recorded as a voice note in WhatsApp (not a shared audio file). */
  voice?: boolean;
}

export interface WhatsAppWireMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  /** Present for messages in a group (Groups API). */
  group_id?: string;
  text?: { body?: string };
  image?: WhatsAppWireMedia;
  document?: WhatsAppWireMedia;
  audio?: WhatsAppWireMedia;
  video?: WhatsAppWireMedia;
  sticker?: WhatsAppWireMedia;
  reaction?: { message_id?: string; emoji?: string };
  button?: { text?: string };
  interactive?: { button_reply?: { title?: string }; list_reply?: { title?: string } };
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  context?: { from?: string; id?: string; forwarded?: boolean };
  errors?: WhatsAppWireError[];
}

export interface WhatsAppWireStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: WhatsAppWireError[];
}

export interface WhatsAppWireError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}

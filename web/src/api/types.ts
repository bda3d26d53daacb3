// Names for the shapes of Outlay's HTTP API, all taken from the types generated from the
// server's OpenAPI document (schema.gen.ts, `npm run api:generate`): a shape the server names
// is its component schema, a part of one is reached from it, and nothing is written twice.
import type { components, operations } from './schema.gen';

type Schemas = components['schemas'];

/** The content types of the raw file body an upload operation takes. */
export type UploadType<Operation extends keyof operations> = keyof NonNullable<operations[Operation]['requestBody']>['content'] & string;

/** The JSON body an operation takes. */
export type RequestBody<Operation extends keyof operations> = NonNullable<operations[Operation]['requestBody']> extends { content: { 'application/json': infer Body } } ? Body : never;

export type Money = Schemas['Money'];
export type Permission = Schemas['Permission'];
export type Session = Schemas['Session'];
export type Company = Schemas['Company'];
export type CompanyLocale = Company['locale'];
export type AuditEvent = Schemas['AuditEvent'];

export type Person = Schemas['Person'];
export type Role = Person['roles'][number];
/** The roles a company gives its people; operators are the platform's own. */
export type CompanyRole = RequestBody<'invitePerson'>['roles'][number];
export type PersonStatus = Person['status'];
export type Team = Schemas['Team'];
export type InvitationCreated = Schemas['InvitationCreated'];
export type InvitationPreview = Schemas['InvitationPreview'];

export type ApiKey = Schemas['ApiKey'];
export type OutgoingMail = Schemas['OutgoingMail'];
export type OwnSession = Schemas['OwnSession'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type ApiKeyScope = RequestBody<'createApiKey'>['scopes'][number];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookEventType = Schemas['WebhookEventType'];

export type Wallet = Schemas['Wallet'];
export type TopUp = Schemas['TopUp'];
export type TopUpInstructions = Schemas['TopUpInstructions'];
export type LowBalanceAlert = Schemas['LowBalanceAlert'];
export type LedgerAccount = Schemas['LedgerAccount'];
export type JournalEntry = Schemas['JournalEntry'];

export type Card = Schemas['Card'];
export type CardKind = Card['kind'];
export type CardStatus = Card['status'];
export type CancelReason = RequestBody<'cancelCard'>['reason'];
export type ReplaceReason = RequestBody<'replaceCard'>['reason'];
export type CardControls = Schemas['CardControls'];
export type CardControlsInput = Schemas['CardControlsInput'];
export type CardLimits = Schemas['CardLimits'];
export type LimitPeriod = keyof CardLimits['periods'];
export type Channel = NonNullable<CardControls['channels']>[number];
export type MerchantCategoryGroup = CardControls['categories']['block'][number];
export type RevealedCard = Schemas['RevealedCard'];
export type CardTransaction = Schemas['CardTransaction'];
export type CardTransactionState = CardTransaction['state'];
export type TransactionReceiptState = CardTransaction['receipt']['state'];
export type CardDecision = Schemas['CardDecision'];

export type Receipt = Schemas['Receipt'];
export type ReceiptSuggestion = Receipt['match']['suggestions'][number];
export type ReceiptMismatch = Schemas['ReceiptMismatch'];
export type ReceiptSettings = Schemas['ReceiptSettings'];
export type MissingReceiptsOfPerson = Schemas['MissingReceiptsOfPerson'];
export type Notification = Schemas['Notification'];

export type Expense = Schemas['Expense'];
export type ExpenseKind = Expense['kind'];
export type ExpenseState = Expense['state'];
export type ExpenseFlag = Expense['flags'][number];
export type ExpenseLine = Expense['lines'][number];
export type ExpenseEvent = Schemas['ExpenseEvent'];
export type ExpenseCategory = Schemas['ExpenseCategory'];
export type TaxCode = Schemas['TaxCode'];
export type TagGroup = Schemas['TagGroup'];
export type Tag = TagGroup['tags'][number];
export type ExpenseSettings = Schemas['ExpenseSettings'];
export type PerDiemRate = Schemas['PerDiemRate'];
export type TeamReviewer = Schemas['TeamReviewer'];
export type ReviewRules = Schemas['ReviewRules'];
export type ExpenseReview = Schemas['ExpenseReview'];
export type ClosedPeriod = Schemas['ClosedPeriod'];
export type PayeeAccount = Schemas['PayeeAccount'];

export type AmountOwed = Schemas['AmountOwed'];
export type Subscription = Schemas['Subscription'];
export type Budget = Schemas['Budget'];
export type PayoutBatch = Schemas['PayoutBatch'];
export type PayoutBatchCreated = Schemas['PayoutBatchCreated'];
export type ExportBatch = Schemas['ExportBatch'];
export type ExportFormat = ExportBatch['format'];

export type BankEntry = Schemas['BankEntry'];
export type BankEntryState = BankEntry['state'];
export type BankStatement = Schemas['BankStatement'];
export type StatementState = BankStatement['state'];
export type StatementImport = Schemas['StatementImport'];
export type BankCompany = Schemas['BankCompany'];

export type FeatureFlag = Schemas['FeatureFlag'];
export type FlagRule = Schemas['FlagRule'];
export type SsoSettings = Schemas['SsoSettings'];
export type SsoDomain = Schemas['SsoDomain'];

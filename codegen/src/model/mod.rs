//! The neutral model both loaders produce and the emitter reads: types and operations, with
//! no knowledge of OpenAPI, WSDL or Rust syntax.

mod name;
mod unknown_elements;

pub use name::Name;

/// Everything generated from a set of input documents.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// Title of the main document (for docs).
    pub title: String,
    /// Named types, in a stable order; `TypeId` indexes this list.
    pub types: Vec<TypeDef>,
    /// REST operations.
    pub rest: Vec<RestOperation>,
    /// Path prefix of the first server URL (e.g. `/restapi`), prepended to every REST path.
    pub rest_base_path: String,
    /// The first server URL when it is absolute (a default base URL for clients).
    pub default_server: Option<String>,
    /// The REST API's token scheme, when it declares one.
    pub api_key: Option<ApiKey>,
    /// Every security scheme of the OpenAPI documents: (name, kind).
    pub security_schemes: Vec<(String, SecurityKind)>,
    /// SOAP services (one per WSDL service).
    pub soap: Vec<SoapService>,
    /// OpenAPI component schema names and the types they became.
    pub schemas: std::collections::BTreeMap<String, TypeId>,
}

/// Index of a named type in `Api::types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A reference to a type, as fields and parameters use it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A string.
    String,
    /// A 64-bit signed integer.
    Integer,
    /// A 32-bit signed integer.
    Int32,
    /// A 64-bit float.
    Double,
    /// Any JSON number, kept exactly as it arrived (integer or fraction).
    Number,
    /// A boolean.
    Boolean,
    /// A value that arrives as a string or a number and is re-sent in the same form.
    Id,
    /// A named type.
    Named(TypeId),
    /// A list.
    Array(Box<TypeRef>),
    /// A map from strings to values.
    Map(Box<TypeRef>),
    /// One value or a list of them, re-sent in the form it arrived.
    OneOrMany(Box<TypeRef>),
    /// A Rust type named by the spec or an overlay (`x-rust-type`), used as is.
    External(String),
    /// Raw XML (`xs:any` content).
    RawXml,
    /// Any JSON value: only where the document allows anything.
    Json,
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Wire name and Rust name.
    pub name: Name,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Where in the source it was defined (file#pointer or file:line:col).
    pub origin: String,
    /// What configuration matches it by: the JSON pointer in its document
    /// (`/components/schemas/Pet`) or its XSD QName (`{namespace}local`).
    pub key: String,
}

/// The shapes a named type can take.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A JSON object with named fields; unknown fields are kept when `keeps_unknown`.
    Struct {
        /// Declared fields, in spec order.
        fields: Vec<Field>,
        /// Whether fields not declared are kept in a map (lossless round trips).
        keeps_unknown: bool,
    },
    /// A string enumeration; unknown values decode into a fallback variant.
    Enum {
        /// The wire values.
        values: Vec<Name>,
    },
    /// A value that is one of several types (untagged).
    Union {
        /// Variant names and types, tried in order.
        variants: Vec<(Name, TypeRef)>,
    },
    /// An XML element type (SOAP): children in schema order, then attributes.
    XmlStruct {
        /// Target namespace of the children (qualified form) or empty.
        namespace: String,
        /// Child elements and attributes.
        fields: Vec<XmlField>,
    },
    /// An XML value that is one of several alternatives: a repeating `xs:choice` or mixed
    /// content (told apart by element name), a substitution group (by element name), or a
    /// complex type and the types derived from it (by `xsi:type`).
    XmlChoice {
        /// The alternatives, in schema order.
        variants: Vec<XmlVariant>,
        /// `(namespace, local)` of the declared type when the alternatives are told apart by
        /// `xsi:type`; `None` when they are told apart by element name.
        xsi_type_base: Option<(String, String)>,
        /// For a repeating choice, its `maxOccurs` when bounded: more items are refused.
        max_occurs: Option<u32>,
    },
}

/// One alternative of a [`TypeKind::XmlChoice`].
#[derive(Debug, Clone, PartialEq)]
pub struct XmlVariant {
    /// The element's local name (for `xsi:type` alternatives: the type's) and the variant name.
    pub name: Name,
    /// The element's (or type's) namespace.
    pub namespace: String,
    /// The content: the element's type, `RawXml` for a wildcard, `String` for text.
    pub ty: TypeRef,
    /// What the alternative stands for on the wire.
    pub kind: XmlVariantKind,
}

/// How an [`XmlVariant`] appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlVariantKind {
    /// An element with the variant's name and namespace.
    Element,
    /// Any element the other alternatives do not take (`xs:any`), kept as raw XML.
    Wildcard,
    /// Character data between elements (mixed content).
    Text,
    /// The element carries `xsi:type` naming this type (or none, for the declared type).
    XsiType,
}

/// A field of a JSON object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name and Rust name.
    pub name: Name,
    /// The field's type.
    pub ty: TypeRef,
    /// The field is always present.
    pub required: bool,
    /// The field may be `null`.
    pub nullable: bool,
    /// Documentation.
    pub doc: Option<String>,
}

/// A child element or attribute of an XML type.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlField {
    /// Wire (local) name and Rust name.
    pub name: Name,
    /// Element namespace when qualified, empty when unqualified.
    pub namespace: String,
    /// The field's type (`String`, numbers, `Boolean`, `Named` XML types, `RawXml`).
    pub ty: TypeRef,
    /// minOccurs = 0.
    pub optional: bool,
    /// maxOccurs > 1.
    pub repeated: bool,
    /// An attribute rather than a child element.
    pub attribute: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// nillable="true": the element may be sent as `xsi:nil` (a value the caller sets).
    pub nillable: bool,
    /// The element's own text (simple content), not a child element or an attribute.
    pub text: bool,
}

impl XmlField {
    /// The field an `xs:any` wildcard makes: repeated raw XML named `any`, documented `doc`.
    pub fn wildcard(doc: impl Into<String>) -> Self {
        XmlField {
            name: Name::wire("any"),
            namespace: String::new(),
            ty: TypeRef::RawXml,
            optional: true,
            repeated: true,
            attribute: false,
            doc: Some(doc.into()),
            nillable: false,
            text: false,
        }
    }

    /// Whether this is a wildcard field (see [`XmlField::wildcard`]).
    pub fn is_wildcard(&self) -> bool {
        self.repeated && self.ty == TypeRef::RawXml && self.name.wire == "any"
    }
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl Method {
    /// True for methods a client may safely resend.
    pub fn is_idempotent_read(self) -> bool {
        matches!(self, Method::Get | Method::Head | Method::Options)
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the URL path.
    Path,
    /// In the query string (arrays as repeated keys).
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// A parameter of a REST operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Wire name and Rust name.
    pub name: Name,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type (scalars, or an array of scalars for repeated query keys).
    pub ty: TypeRef,
    /// Required by the spec.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// How the value is serialised (OpenAPI `style`; query arrays and objects).
    pub style: ParamStyle,
    /// OpenAPI `explode`: arrays as repeated keys, objects as one key per property.
    pub explode: bool,
}

/// OpenAPI parameter styles the emitter tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` (query default): `ids=1&ids=2`, or `tags=a,b` without explode.
    Form,
    /// `spaceDelimited`: `s=x%20y`.
    SpaceDelimited,
    /// `pipeDelimited`: `p=a|b`.
    PipeDelimited,
    /// `deepObject`: `filter[color]=red`.
    DeepObject,
    /// `simple` (path and header default): `a,b`.
    Simple,
}

/// The request body of a REST operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Media type sent as Content-Type.
    pub content_type: String,
    /// The body's type; JSON-serialised unless it is a plain `String` sent as text.
    pub ty: TypeRef,
    /// Required by the spec.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// The parts of a `multipart/form-data` body whose schema is an object (then `ty` is not
    /// used: each part is set on its own); empty for every other body.
    pub parts: Vec<FormPart>,
}

/// One property of a `multipart/form-data` body: a part (one per item when `repeated`).
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// Wire (part) name and Rust name.
    pub name: Name,
    /// How the value is sent.
    pub kind: PartKind,
    /// An array: one part per item, all with the part's name.
    pub repeated: bool,
    /// Required by the spec.
    pub required: bool,
    /// The part's `Content-Type` from the media type's `encoding`, if given.
    pub content_type: Option<String>,
    /// Documentation.
    pub doc: Option<String>,
}

/// How a multipart part carries its value.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A file (`format: binary`): file name, bytes, media type.
    File,
    /// A scalar (string, number, boolean, string enum) as text.
    Text(TypeRef),
    /// Any other value, as JSON.
    Json(TypeRef),
}

/// A REST operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RestOperation {
    /// operationId (wire) and method name (Rust).
    pub name: Name,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the server URL, e.g. `/cards/{id}`.
    pub path: String,
    /// Summary and description, joined.
    pub doc: Option<String>,
    /// First tag, if any.
    pub tag: Option<String>,
    /// Parameters, path parameters in template order first.
    pub params: Vec<Param>,
    /// Request body.
    pub body: Option<Body>,
    /// Type of a successful response (None: no content).
    pub success: Option<TypeRef>,
    /// Media type of the successful response when it is not JSON (`text/html`,
    /// `application/octet-stream`, …): sent as `Accept`, the body read as text or bytes.
    pub success_media: Option<String>,
    /// Every declared response with a status code or `default`, in document order.
    pub responses: Vec<StatusResponse>,
    /// Security requirements in effect (alternatives of scheme names; empty: none).
    pub security: Vec<Vec<String>>,
    /// Whether the client may resend the request after a failure that may have reached the server.
    pub retry_safe: bool,
    /// Whether the API key is sent.
    pub authenticated: bool,
    /// Where it was defined.
    pub origin: String,
}

/// How a security scheme carries its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// apiKey in a header with this name.
    ApiKeyHeader(String),
    /// apiKey in the query with this name.
    ApiKeyQuery(String),
    /// apiKey in a cookie with this name.
    ApiKeyCookie(String),
    /// http bearer, oauth2 or openIdConnect: a token the caller supplies.
    Bearer,
    /// http basic.
    Basic,
}

/// One declared response of a REST operation.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusResponse {
    /// The status code; `None` for `default`.
    pub status: Option<u16>,
    /// The JSON body's type; `None` when the response has no (JSON) body.
    pub ty: Option<TypeRef>,
}

/// An API key scheme for REST calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Scheme name.
    pub scheme: String,
    /// Header name that carries the key.
    pub header: String,
}

/// A SOAP service with its operations.
#[derive(Debug, Clone, PartialEq)]
pub struct SoapService {
    /// Service name (wire) and client type name (Rust).
    pub name: Name,
    /// Documentation.
    pub doc: Option<String>,
    /// Target namespace of the WSDL.
    pub namespace: String,
    /// SOAP 1.1 port address, if the service has one.
    pub address_11: Option<String>,
    /// SOAP 1.2 port address, if the service has one.
    pub address_12: Option<String>,
    /// Every SOAP port of the service whose binding implements the client's portType, in
    /// document order (the client can be pointed at any of them).
    pub ports: Vec<SoapPort>,
    /// Calls use SOAP 1.2 unless the caller chooses: the version of the first port (of the
    /// binding, for a WSDL without `wsdl:service`).
    pub default_v12: bool,
    /// Operations, in WSDL order.
    pub operations: Vec<SoapOperation>,
}

/// A document/literal SOAP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct SoapOperation {
    /// Operation name (wire) and method name (Rust).
    pub name: Name,
    /// Documentation.
    pub doc: Option<String>,
    /// SOAPAction / action parameter.
    pub action: String,
    /// The request wrapper element: its name, namespace and type.
    pub input: Option<XmlElement>,
    /// The response element: its name, namespace and type.
    pub output: Option<XmlElement>,
    /// Faults the WSDL declares, each with its detail element.
    pub faults: Vec<SoapFaultDef>,
    /// The Rust name of the operation's error type when it declares faults (set by the
    /// naming pass; empty until then or without faults).
    pub error_type: String,
    /// soap:header parts of the request: typed arguments of the method, sent in the Header.
    pub input_headers: Vec<XmlElement>,
    /// soap:header parts of the response: decoded next to the body (each optional).
    pub output_headers: Vec<XmlElement>,
    /// SOAP with Attachments: the output message parts carried as MIME parts of a
    /// `multipart/related` reply (`mime:content part=...`), each read as bytes.
    pub attachments: Vec<String>,
    /// What the binding's WS-Policy requires of every request (UsernameToken, Timestamp).
    pub policy: SoapPolicy,
    /// The Rust name of the reply type (body + response headers/attachments) when the
    /// operation declares response headers or attachments (set by the naming pass).
    pub reply_type: String,
    /// Whether the client may resend the request.
    pub retry_safe: bool,
    /// The binding uses WS-Addressing (`wsaw:UsingAddressing`): every request carries
    /// `wsa:Action` (= `action`), `wsa:To` and a fresh `wsa:MessageID`.
    pub addressing: bool,
    /// Where it was defined.
    pub origin: String,
}

/// The WS-Security requirements of a binding's WS-Policy that the client applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SoapPolicy {
    /// A `sp:UsernameToken` is required: a call without one fails before sending.
    pub username_token: bool,
    /// `sp:IncludeTimestamp`: the Security header carries a `wsu:Timestamp`.
    pub timestamp: bool,
}

/// One `wsdl:port` of a SOAP service.
#[derive(Debug, Clone, PartialEq)]
pub struct SoapPort {
    /// The port name.
    pub name: String,
    /// Its binding is SOAP 1.2 (else 1.1).
    pub v12: bool,
    /// Its `soap:address` / `soap12:address` location.
    pub address: String,
}

/// A fault a SOAP operation declares (`wsdl:fault`): its name and detail element.
#[derive(Debug, Clone, PartialEq)]
pub struct SoapFaultDef {
    /// The `wsdl:fault` name (wire) and the error variant name (Rust).
    pub name: Name,
    /// The element the fault message's part names: the `detail` entry it arrives as.
    pub element: XmlElement,
}

/// A global XML element used as a message part.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlElement {
    /// Local name; empty for a document/literal message with several parts, whose type's
    /// fields are written directly into the SOAP Body (no wrapper element).
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Its type: `Named` XML struct, or `RawXml`.
    pub ty: TypeRef,
}

impl Api {
    /// The definition of a named type.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Adds a type and returns its id.
    pub fn add_type(&mut self, def: TypeDef) -> TypeId {
        self.types.push(def);
        TypeId(self.types.len() - 1)
    }
}

#!/usr/bin/env python3
"""Independent cross-check of the exchanges the SwiftKanban emulator served.

usage: crosscheck.py EXCHANGES.json REPO_ROOT

- every REST request and response is validated against specs/overlaid/restapi.json with
  openapi-core (parameters, security, request body, status code, response body);
- every SOAP request payload (the first child of soap:Body) is validated against the XML
  schema embedded in its service's WSDL (specs/swiftkanban/<Service>.wsdl) with xmlschema,
  and so is every SOAP response payload whose element the WSDL declares.

Exit status 0 when everything validates, 1 otherwise (each failure is printed).
"""

import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.datastructures import Headers, ImmutableMultiDict
import xmlschema

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XS_NS = "http://www.w3.org/2001/XMLSchema"
SOAP_ENVS = ("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope")


def wsdl_schema(path):
    """The WSDL's embedded xs:schema (in-scope namespace declarations kept by lxml)."""
    root = etree.parse(str(path)).getroot()
    schema_el = root.find(f"{{{WSDL_NS}}}types/{{{XS_NS}}}schema")
    return xmlschema.XMLSchema(etree.tostring(schema_el).decode())


def body_payload(xml_text):
    env = etree.fromstring(xml_text.encode())
    if etree.QName(env).namespace not in SOAP_ENVS:
        raise ValueError("not a SOAP envelope")
    body = env.find(f"{{{etree.QName(env).namespace}}}Body")
    children = [c for c in body if isinstance(c.tag, str)]
    return children[0] if children else None


def check_rest(api, ex, base):
    query = parse_qsl(ex["query"], keep_blank_values=True)
    headers = dict(ex.get("request_headers") or {})
    content_type = ex["request_content_type"] or "application/json"
    request = MockRequest(
        base,
        ex["method"].lower(),
        ex["path"],
        args=ImmutableMultiDict(query),
        headers=Headers(headers),
        data=ex["request_body"].encode() if ex["request_body"] else None,
        content_type=content_type.split(";")[0].strip(),
    )
    api.validate_request(request)
    response = MockResponse(
        ex["response_body"].encode(),
        status_code=ex["status"],
        content_type=ex["response_content_type"].split(";")[0].strip(),
    )
    api.validate_response(request, response)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    exchanges = json.loads(Path(sys.argv[1]).read_text())
    root = Path(sys.argv[2])
    document = json.loads((root / "specs/overlaid/restapi.json").read_text())
    # The upstream document has no info.version (rest-facts.md 1.1); openapi-core's spec
    # validator requires one. Nothing else is changed.
    document.setdefault("info", {}).setdefault("version", "upstream-unversioned")
    # The token call's text/plain body is JSON text (rest-facts.md 1.2): read it as JSON.
    config = Config(extra_media_type_deserializers={"text/plain": lambda raw: json.loads(raw)})
    api = OpenAPI.from_dict(document, config=config)
    schemas = {}
    failures = []
    rest_n = soap_n = soap_resp_n = 0
    for i, ex in enumerate(exchanges):
        where = f"#{i} {ex['method']} {ex['path']} ({ex['operation'] or 'no operation'}, HTTP {ex['status']})"
        if ex["kind"] == "rest":
            if not ex["operation"]:
                continue
            # Rate-limit answers are the emulator's own addition (status undocumented).
            if ex["status"] == 429:
                continue
            try:
                check_rest(api, ex, "http://127.0.0.1")
                rest_n += 1
            except Exception as e:  # noqa: BLE001 - report every validator error
                detail = getattr(e, "__cause__", None)
                failures.append(f"REST {where}: {type(e).__name__}: {e} {detail or ''}".strip())
        elif ex["kind"] == "soap" and ex["service"]:
            service = ex["service"]
            if service not in schemas:
                schemas[service] = wsdl_schema(root / "specs/swiftkanban" / f"{service}.wsdl")
            schema = schemas[service]
            try:
                payload = body_payload(ex["request_body"])
                schema.validate(etree.tostring(payload).decode())
                soap_n += 1
            except Exception as e:  # noqa: BLE001
                failures.append(f"SOAP request {where}: {type(e).__name__}: {e}")
                continue
            if ex["status"] == 200:
                try:
                    out = body_payload(ex["response_body"])
                    if out is not None and schema.elements.get(etree.QName(out).localname) is not None:
                        schema.validate(etree.tostring(out).decode())
                        soap_resp_n += 1
                except Exception as e:  # noqa: BLE001
                    failures.append(f"SOAP response {where}: {type(e).__name__}: {e}")
    for f in failures:
        print(f)
    print(
        f"crosscheck: {rest_n} REST exchanges valid against the overlaid OpenAPI document (openapi-core), "
        f"{soap_n} SOAP requests and {soap_resp_n} SOAP responses valid against their WSDL schemas (xmlschema), "
        f"{len(failures)} failure(s)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

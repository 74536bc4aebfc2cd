"""Builds zeep's WS-Security UsernameToken header for the parameters given on stdin and
prints both zeep's and our header (given as XML on stdin) as canonical element trees.

Input (JSON): username, password, digest (bool), nonce (str; zeep hashes its UTF-8 bytes),
created (xs:dateTime of the UsernameToken), timestamp (null or {"created_epoch": int,
"ttl_secs": int}), soap_ns, ours (our wsse:Security element as XML).

Output (JSON): {"zeep": tree, "ours": tree}; tree = [tag, {attr: value}, text, [children]]
with tags and attributes in Clark notation ({namespace}local), text stripped (null when
empty), and wsu:Created/wsu:Expires inside wsu:Timestamp normalised to the same instant
format (zeep writes seconds, we write milliseconds).

Exit code 3: zeep or lxml is not installed.
"""
import datetime
import json
import sys

try:
    from lxml import etree
    from zeep.wsse.username import UsernameToken
    from zeep.wsse import utils
    from zeep import ns
except ImportError as e:  # pragma: no cover
    print(f"missing peer: {e}", file=sys.stderr)
    sys.exit(3)


def canon_instant(text):
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canon(el, in_timestamp=False):
    tag = el.tag
    text = (el.text or "").strip() or None
    if in_timestamp and tag in ("{%s}Created" % ns.WSU, "{%s}Expires" % ns.WSU) and text:
        text = canon_instant(text)
    attrs = {k: v for k, v in sorted(el.attrib.items())}
    inner_ts = in_timestamp or tag == "{%s}Timestamp" % ns.WSU
    children = [canon(c, inner_ts) for c in el if isinstance(c.tag, str)]
    return [tag, attrs, text, children]


def main():
    req = json.load(sys.stdin)
    soap_ns = req["soap_ns"]
    envelope = etree.Element("{%s}Envelope" % soap_ns, nsmap={"soapenv": soap_ns})
    etree.SubElement(envelope, "{%s}Body" % soap_ns)

    created = datetime.datetime.fromisoformat(req["created"].replace("Z", "+00:00"))
    timestamp_token = None
    if req.get("timestamp"):
        ts = req["timestamp"]
        ts_created = datetime.datetime.fromtimestamp(ts["created_epoch"], datetime.timezone.utc)
        ts_expires = ts_created + datetime.timedelta(seconds=ts["ttl_secs"])
        timestamp_token = utils.WSU.Timestamp()
        timestamp_token.extend(
            [
                utils.WSU.Created(utils.get_timestamp(ts_created, zulu_timestamp=True)),
                utils.WSU.Expires(utils.get_timestamp(ts_expires, zulu_timestamp=True)),
            ]
        )
    token = UsernameToken(
        req["username"],
        req["password"],
        use_digest=req["digest"],
        nonce=req["nonce"],
        created=created,
        zulu_timestamp=True,
        timestamp_token=timestamp_token,
    )
    envelope, _ = token.apply(envelope, {})
    zeep_security = envelope.find("{%s}Header/{%s}Security" % (soap_ns, ns.WSSE))

    ours_doc = etree.fromstring(
        (
            '<soapenv:Envelope xmlns:soapenv="%s"><soapenv:Header>%s</soapenv:Header>'
            "<soapenv:Body/></soapenv:Envelope>" % (soap_ns, req["ours"])
        ).encode("utf-8")
    )
    ours_security = ours_doc.find("{%s}Header/{%s}Security" % (soap_ns, ns.WSSE))
    json.dump({"zeep": canon(zeep_security), "ours": canon(ours_security)}, sys.stdout)


if __name__ == "__main__":
    main()

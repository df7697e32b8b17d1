#!/usr/bin/env python3
"""Test helper of e2e_jades.sh: edits and re-signs JWS JSON documents (JAdES seals).
Signatures are made with the openssl command (no Python crypto package needed).
  jws_tool.py edit IN OUT MUTATION [ARG]     a copy with one change (no new signature)
  jws_tool.py resign IN OUT KEY ALG CODE     CODE (Python) edits h (the protected header,
                                             a dict) and p (the payload, str); then signed
  jws_tool.py header IN                      the protected header, as JSON
  jws_tool.py leaf IN                        the x5c leaf certificate, PEM
"""
import base64, json, subprocess, sys, tempfile


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def der_to_raw(der):
    # ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } -> r||s, 32 bytes each
    i = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    out = b""
    for _ in range(2):
        n = der[i + 1]
        out += der[i + 2:i + 2 + n].lstrip(b"\0").rjust(32, b"\0")
        i += 2 + n
    return out


def sign(key, alg, data):
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        cmd = ["openssl", "dgst", "-sha256", "-sign", key]
        if alg == "PS256":
            cmd += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"]
        sig = subprocess.run(cmd + [f.name], check=True, capture_output=True).stdout
    return der_to_raw(sig) if alg == "ES256" else sig


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(f.read())


def sigobj(d):
    return d["signatures"][0] if "signatures" in d else d


def header(d):
    return json.loads(unb64u(sigobj(d)["protected"]))


def save(d, path, raw=None):
    with open(path, "w", encoding="utf-8") as f:
        f.write(raw if raw is not None else json.dumps(d, ensure_ascii=False, separators=(",", ":")))
        f.write("\n")


def pem_body(path):
    lines = open(path).read().split("-----")[2].split()
    return "".join(lines)


def edit(src, dst, what, arg=None):
    d = load(src)
    s = sigobj(d)
    h = header(d)
    raw = None
    if what == "payload-byte":  # one character of the signed text changed
        p = d["payload"]
        i = p.index("\"issuer\"") + 20
        d["payload"] = p[:i] + ("X" if p[i] != "X" else "Y") + p[i + 1:]
    elif what == "header-member":  # sigT changed in the protected header
        h["sigT"] = h["sigT"][:-3] + ("58Z" if not h["sigT"].endswith("58Z") else "59Z")
        s["protected"] = b64u(json.dumps(h, separators=(",", ":")).encode())
    elif what == "signature":
        sig = bytearray(unb64u(s["signature"]))
        sig[len(sig) // 2] ^= 1
        s["signature"] = b64u(bytes(sig))
    elif what == "swap-cert":  # another certificate as the x5c leaf
        h["x5c"][0] = pem_body(arg)
        s["protected"] = b64u(json.dumps(h, separators=(",", ":")).encode())
    elif what == "strip-crit":
        del h["crit"]
        s["protected"] = b64u(json.dumps(h, separators=(",", ":")).encode())
    elif what == "second-signature":
        d["signatures"].append(dict(d["signatures"][0]))
    elif what == "unprotected":  # a parameter in the unsigned header
        s.setdefault("header", {})[arg] = h.get(arg, "x")
    elif what == "flatten":
        d = {"payload": d["payload"], **d["signatures"][0]}
    elif what == "extra-member":
        d["credentialSubject"] = {"id": "urn:forged"}
    elif what == "duplicate-payload":
        text = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
        raw = "{\"payload\":\"{}\"," + text[1:]
    elif what == "sigtst":  # an unsigned signature timestamp: ARG a file of a base64 token,
        # or "adoTst" for the seal's own adoTst token (which covers the payload, not the signature)
        val = h["adoTst"]["tstTokens"][0]["val"] if arg == "adoTst" else open(arg).read().strip()
        item = b64u(json.dumps({"sigTst": {"tstTokens": [{"val": val}]}}).encode())
        s.setdefault("header", {})["etsiU"] = [item]
    elif what == "signature-value":  # the signature member, for a timestamp over it
        raw = s["signature"]
        with open(dst, "w") as f:
            f.write(raw)
        return
    elif what == "detached":
        del d["payload"]
    else:
        sys.exit("unknown mutation " + what)
    save(d, dst, raw)


def resign(src, dst, key, alg, code):
    d = load(src)
    s = sigobj(d)
    h = header(d)
    p = d["payload"]
    env = {"h": h, "p": p, "b64u": b64u, "pem_body": pem_body, "json": json}
    exec(code, env)
    h, p = env["h"], env["p"]
    prot = b64u(json.dumps(h, separators=(",", ":")).encode())
    s["protected"] = prot
    s["signature"] = b64u(sign(key, alg, (prot + "." + p).encode()))
    d["payload"] = p
    save(d, dst)


def main():
    cmd = sys.argv[1]
    if cmd == "edit":
        edit(*sys.argv[2:])
    elif cmd == "resign":
        resign(*sys.argv[2:])
    elif cmd == "header":
        print(json.dumps(header(load(sys.argv[2]))))
    elif cmd == "leaf":
        body = header(load(sys.argv[2]))["x5c"][0]
        print("-----BEGIN CERTIFICATE-----")
        for i in range(0, len(body), 64):
            print(body[i:i + 64])
        print("-----END CERTIFICATE-----")


main()

package dev.ocean.common.tls;

import java.io.ByteArrayOutputStream;

/**
 * Just enough DER to rewrap the older OpenSSL key forms (PKCS#1 RSA, SEC1 EC) as PKCS#8, which is
 * the one form the JDK's key factories read.
 */
final class Der {
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private Der() {}

  /** A PKCS#1 {@code RSAPrivateKey} as a PKCS#8 {@code PrivateKeyInfo}. */
  static byte[] rsaToPkcs8(byte[] pkcs1) {
    return tlv(0x30, concat(VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1)));
  }

  /**
   * A SEC1 {@code ECPrivateKey} as a PKCS#8 {@code PrivateKeyInfo}; the curve comes from the key's
   * own {@code [0] parameters}, which OpenSSL always writes.
   */
  static byte[] ecToPkcs8(byte[] sec1) {
    if (sec1.length == 0 || sec1[0] != 0x30) {
      throw new IllegalArgumentException("not a SEQUENCE");
    }
    int[] outer = header(sec1, 0);
    int pos = outer[0];
    int end = outer[0] + outer[1];
    byte[] curve = null;
    while (pos < end) {
      int[] h = header(sec1, pos);
      if ((sec1[pos] & 0xff) == 0xa0) {
        curve = java.util.Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
      }
      pos = h[0] + h[1];
    }
    if (curve == null || curve.length == 0 || curve[0] != 0x06) {
      throw new IllegalArgumentException("no named curve");
    }
    byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve));
    return tlv(0x30, concat(VERSION_0, algorithm, tlv(0x04, sec1)));
  }

  /** {offset of the content, its length} of the element at {@code pos}. */
  private static int[] header(byte[] der, int pos) {
    if (pos + 1 >= der.length) {
      throw new IllegalArgumentException("truncated");
    }
    int first = der[pos + 1] & 0xff;
    int start = pos + 2;
    int length;
    if (first < 0x80) {
      length = first;
    } else {
      int count = first & 0x7f;
      if (count == 0 || count > 3 || start + count > der.length) {
        throw new IllegalArgumentException("bad length");
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (der[start + i] & 0xff);
      }
      start += count;
    }
    if (start + length > der.length) {
      throw new IllegalArgumentException("truncated");
    }
    return new int[] {start, length};
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo protocol of the e1000 example: what a request frame and its
 * reply look like. Read by the driver (kernel) and by the VM tests' load
 * generator (tests/vm/e1000-load.c, userspace), so it uses plain C types
 * and no header of either world.
 *
 * A frame is Ethernet II with the local experimental ethertype 0x88b5
 * (IEEE 802 "Local Experimental Ethertype 1"), then, big-endian:
 *
 *   offset  size  field
 *   14      4     magic "DSE1"
 *   18      1     flags: E1K_ECHO_REPLY, E1K_ECHO_PROBE
 *   19      3     zero
 *   22      4     sequence number (a probe carries 0)
 *   26      64    payload: byte i is e1k_echo_pattern(seq, i)
 *
 * A reply is the request with the MAC addresses swapped and
 * E1K_ECHO_REPLY set: same sequence, same payload, so the generator can
 * tell a lost, a repeated and a damaged frame apart. A probe asks "is
 * anyone listening?" before the counted stream starts.
 */
#ifndef DEVSTATE_E1000_PROTO_H
#define DEVSTATE_E1000_PROTO_H

#define E1K_ECHO_ETHERTYPE	0x88b5
#define E1K_ECHO_MAGIC		0x44534531u	/* "DSE1" */
#define E1K_ECHO_OFF_TYPE	12
#define E1K_ECHO_OFF_MAGIC	14
#define E1K_ECHO_OFF_FLAGS	18
#define E1K_ECHO_OFF_SEQ	22
#define E1K_ECHO_OFF_PAYLOAD	26
#define E1K_ECHO_PAYLOAD	64
#define E1K_ECHO_LEN		(E1K_ECHO_OFF_PAYLOAD + E1K_ECHO_PAYLOAD)

#define E1K_ECHO_REPLY		0x01
#define E1K_ECHO_PROBE		0x02

/* Byte @i of the payload of request @seq. */
static inline unsigned char e1k_echo_pattern(unsigned int seq, unsigned int i)
{
	return (unsigned char)((seq * 0x9e3779b1u) >> (i % 25)) ^ (unsigned char)(i * 7);
}

/* Big-endian 32-bit field at @p (frames are byte arrays: no alignment). */
static inline unsigned int e1k_echo_get32(const unsigned char *p)
{
	return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
	       (unsigned int)p[2] << 8 | p[3];
}

static inline void e1k_echo_put32(unsigned char *p, unsigned int v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/*
 * Is @f (@len bytes) an intact frame of the protocol: a reply when @reply,
 * else a request (or probe), with the payload of its sequence number?
 */
static inline int e1k_echo_intact(const unsigned char *f, unsigned long len,
				  int reply)
{
	unsigned int i, seq;

	if (len < E1K_ECHO_LEN ||
	    f[E1K_ECHO_OFF_TYPE] != E1K_ECHO_ETHERTYPE >> 8 ||
	    f[E1K_ECHO_OFF_TYPE + 1] != (E1K_ECHO_ETHERTYPE & 0xff) ||
	    e1k_echo_get32(f + E1K_ECHO_OFF_MAGIC) != E1K_ECHO_MAGIC ||
	    !(f[E1K_ECHO_OFF_FLAGS] & E1K_ECHO_REPLY) != !reply)
		return 0;
	seq = e1k_echo_get32(f + E1K_ECHO_OFF_SEQ);
	for (i = 0; i < E1K_ECHO_PAYLOAD; i++)
		if (f[E1K_ECHO_OFF_PAYLOAD + i] != e1k_echo_pattern(seq, i))
			return 0;
	return 1;
}

#endif /* DEVSTATE_E1000_PROTO_H */

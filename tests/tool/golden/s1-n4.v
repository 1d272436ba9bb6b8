file: s1-n4.region (region, valid)
region: state sealed, abi 2, generation 1
  header crc ok, blob crc ok
  size 1056768, blob 2512 of 8064 bytes at 0x80, pool 1048576 bytes at 0x2000
blob: 2512 bytes, devstate-v1, 4 devices
  kernel-release 6.1.0-synth
  generation 1, timestamp-ns 1780000379200822465
  pool 0x31000000 size 0x100000

0000:42:00.0 Ethernet controller [0200]: Intel Corporation Fixture 10GbE Adapter [8086:51d7] (rev fe)
	Subsystem: 8086:eddf
	Command: 0x0407
	Bridges: 0000:00:01.0
	Driver: ixgbe
	BAR0: mem,64bit at 0x4000000000 [size=0x10000000]
	BAR2: mem at 0x80000000 [size=0x4000]
	BAR4: io at 0x1000 [size=0x10]
	Interrupt: msix, 102 vectors, pin C, line 14
		vector 0: address 0xfee00000 data 0x00000020
		vector 1: address 0xfee01000 data 0x00000021
		vector 2: address 0xfee02000 data 0x00000022
		vector 3: address 0xfee03000 data 0x00000023
		vector 4: address 0xfee04000 data 0x00000024
		vector 5: address 0xfee05000 data 0x00000025
		vector 6: address 0xfee06000 data 0x00000026
		vector 7: address 0xfee07000 data 0x00000027
		vector 8: address 0xfee08000 data 0x00000028
		vector 9: address 0xfee09000 data 0x00000029 masked
		vector 10: address 0xfee0a000 data 0x0000002a
		vector 11: address 0xfee0b000 data 0x0000002b
		vector 12: address 0xfee0c000 data 0x0000002c
		vector 13: address 0xfee0d000 data 0x0000002d
		vector 14: address 0xfee0e000 data 0x0000002e
		vector 15: address 0xfee0f000 data 0x0000002f masked
		vector 16: address 0xfee10000 data 0x00000030
		vector 17: address 0xfee11000 data 0x00000031
		vector 18: address 0xfee12000 data 0x00000032
		vector 19: address 0xfee13000 data 0x00000033
		vector 20: address 0xfee14000 data 0x00000034
		vector 21: address 0xfee15000 data 0x00000035
		vector 22: address 0xfee16000 data 0x00000036
		vector 23: address 0xfee17000 data 0x00000037
		vector 24: address 0xfee18000 data 0x00000038
		vector 25: address 0xfee19000 data 0x00000039
		vector 26: address 0xfee1a000 data 0x0000003a masked
		vector 27: address 0xfee1b000 data 0x0000003b
		vector 28: address 0xfee1c000 data 0x0000003c
		vector 29: address 0xfee1d000 data 0x0000003d
		vector 30: address 0xfee1e000 data 0x0000003e
		vector 31: address 0xfee1f000 data 0x0000003f
	DMA mask: 0xffffffffffff, coherent 0xffffffffffff
	Preserved: "evtq" 8192 bytes at phys 0x31000000 bus 0xfff00000000
	Preserved: "fw-log" 4096 bytes at phys 0x31002000 bus 0xfff00002000
	Driver state: devstate-synth,state-v1
		compatible = "devstate-synth,state-v1"
		queue-count = <0x00000001>
		ring-heads = <0x0000015f>
		firmware = "synth-fw 1.2.3"
		completions = /u64/ 0xd8fc87178bb9e43c
		opaque = <0x35f8fc3d 0x99f8945e 0xc82b44f3 0x7b91b6dc 0xd9b73da3 0x90dfbc27 0x016c7fe9 0xa8f7df8a ...>

0000:42:00.1 Ethernet controller [0200]: Intel Corporation Device [8086:9037] (rev 43)
	Subsystem: 1af4:c529
	Command: 0x0004
	Bridges: 0000:00:02.1 0000:21:01.1
	Driver: ixgbe
	Interrupt: intx, pin A, line 6
	DMA mask: 0xffffffffffffffff, coherent 0xffffffff
	Preserved: "stats" 16384 bytes at phys 0x31010000 bus 0xfff00010000
	Preserved: "ring" 4096 bytes at phys 0x31014000 bus 0xfff00014000
	Preserved: "buf" 8192 bytes at phys 0x31015000 bus 0xfff00015000
	Driver state: devstate-synth,state-v1
		compatible = "devstate-synth,state-v1"
		queue-count = <0x00000001>
		ring-heads = <0x00000a91>
		firmware = "synth-fw 2.0.0-rc1"
		completions = /u64/ 0x18a25d5be39994c7
		opaque = [9e 26 95 ed 98 8e db 46 13 11 ed f2 c6 8b 1d 4f c9 7d 2f ce e3 8c]

0000:42:00.2 Ethernet controller [0200]: Intel Corporation Device [8086:471c] (rev a9)
	Subsystem: 8086:472a
	Command: 0x0007
	Bridges: 0000:00:02.0
	Driver: ixgbe
	BAR0: mem at 0x82000000 [size=0x20000]
	BAR1: mem,prefetch at 0x82020000 [size=0x20000]
	BAR2: io at 0x1200 [size=0x40]
	BAR3: mem at 0x82040000 [size=0x20000]
	BAR4: mem,prefetch at 0x82060000 [size=0x20000]
	BAR5: io at 0x1240 [size=0x40]
	Expansion ROM at 0x82080000 [size=0x20000]
	Interrupt: none, line 0
	DMA mask: 0xffffffffffff, coherent 0xffffffffffff
	Preserved: "stats" 16384 bytes at phys 0x31020000 bus 0x31020000
	Preserved: "ring" 16384 bytes at phys 0x31024000 bus 0x31024000
	Preserved: "buf" 8192 bytes at phys 0x31028000 bus 0x31028000
	Driver state: devstate-synth,state-v1
		compatible = "devstate-synth,state-v1"
		queue-count = <0x00000004>
		ring-heads = <0x00000283 0x00000672 0x00000fe3 0x00000932>
		firmware = "synth-fw 1.2.3"
		completions = /u64/ 0x872dcc0566d7067e
		opaque = [55 72 25 b5 04 e9 b2 d3 37 c1 39 42 fe 8d 3a]

0000:42:00.3 Unclassified device [00ff]: Fixture Virtual Devices Device [1234:d557] (rev af)
	Subsystem: 1234:5bf1
	Command: 0x0002
	Bridges: 0000:00:04.1
	Driver: devstate_edu
	BAR0: mem at 0x83000000 [size=0x80000]
	Interrupt: intx, pin B, line 7
	DMA mask: 0xffffffffffff, coherent 0xffffffffffff
	Driver state: devstate-synth,state-v1
		compatible = "devstate-synth,state-v1"
		queue-count = <0x00000003>
		ring-heads = <0x00000d62 0x00000da4 0x00000ba1>
		firmware = "synth-fw 2.0.0-rc1"
		completions = /u64/ 0x7c0b7452c360aa93
		opaque = [18 ae fc 07 34 fa e3 19 9e 68 28 66 1e b4 0a 97 30 d6 1f 93 3f 0b 00 11 b0]
# exit 0

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devstate(1): inspect the device state one kernel hands to the next.
 *
 * This file only parses options and dispatches: subcommands come from one
 * table, any unambiguous prefix selects one ("devstate du" is dump), and
 * each has its own help (devstate help CMD, devstate CMD --help). The help
 * text, docs/devstate.1 and the bash completion list the same commands and
 * options; tests/tool/ checks that they do.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "devstate.h"

/* Which options a command accepts, beside -j -p -v -h. */
enum {
	OPT_TREE = 1 << 0,
	OPT_SELECT = 1 << 1,
	OPT_PCI = 1 << 2,
	OPT_NAMES = 1 << 3,
	OPT_KHO = 1 << 4,
};

struct command {
	const char *name;
	const char *args;
	const char *summary;
	const char *help;
	unsigned int opts;
	int (*fn)(const struct dst_opts *o, int argc, char **argv);
};

static int cmd_help(const struct dst_opts *o, int argc, char **argv);

static const struct command commands[] = {
	{ "dump", "[FILE]", "show a region or blob, or the running kernel's",
	  "Show a region file (it starts with the region magic) or a bare FDT\n"
	  "blob: the header, then every device with its BARs, interrupts, DMA\n"
	  "masks, preserved buffers and driver state. Without FILE, show the\n"
	  "running kernel's incoming.dtb and outgoing.dtb from debugfs; when\n"
	  "devstate.ko is not loaded, what Kexec HandOver handed over\n"
	  "(/sys/kernel/debug/kho/in/sub_fdts/devstate; DEVSTATE_KHO_DEBUGFS\n"
	  "names another directory than /sys/kernel/debug/kho). --kho shows\n"
	  "that file even with devstate.ko loaded, e.g. a rejected handover.\n"
	  "A damaged region or blob is shown as far as it can be read, with\n"
	  "its fault named. Exit status: 0 valid, 1 a fault was found, 2 error.\n",
	  OPT_TREE | OPT_SELECT | OPT_NAMES | OPT_KHO, dst_cmd_dump },
	{ "check", "FILE", "validate a region or blob",
	  "Validate FILE with the shared reader (the kernel's code) and the\n"
	  "FDT structure also with libfdt's fdt_check_full(); report the first\n"
	  "fault with its byte offset and whether the two readers agree.\n"
	  "Exit status: 0 valid, 1 invalid, 2 usage or I/O error.\n",
	  0, dst_cmd_check },
	{ "verify", "[FILE]", "pre-flight: which devices a kexec now would adopt",
	  "If you kexec now, these devices will be adopted; these will go\n"
	  "cold, because ...: every record of FILE (default: the running\n"
	  "kernel's outgoing blob, else its incoming blob) judged against the\n"
	  "PCI function at its position, through libpci, by the rule the next\n"
	  "kernel applies (IDs, class, bridge chain, BARs, driver state).\n"
	  "Cold verdicts name the reason the kernel will log.\n"
	  "-A and -O choose libpci's access method and parameters, e.g.\n"
	  "-A dump -O dump.name=FILE to read an `lspci -x` dump. A BAR size\n"
	  "libpci cannot know (a dump) makes a device unverified, not adopted.\n"
	  "Exit status: 0 all adopted, 1 some cold, absent or unverified,\n"
	  "2 error.\n",
	  OPT_SELECT | OPT_PCI | OPT_NAMES, dst_cmd_verify },
	{ "diff", "A B", "show what changed between two blobs",
	  "Compare two regions or blobs device by device: devices added (+),\n"
	  "removed (-) and changed (~) with each changed field.\n"
	  "Exit status: 0 no difference, 1 differences, 2 error.\n",
	  OPT_SELECT, dst_cmd_diff },
	{ "status", "", "what happened at the last handoff, on this system",
	  "Read the running kernel's devstate debugfs files (status, region,\n"
	  "incoming.dtb) and show the region (where, size, header state), the\n"
	  "last handoff (generation, when, which kernel release wrote it),\n"
	  "each device adopted or cold with its reason, the records nobody\n"
	  "claimed and the preserved DMA pool in use. DEVSTATE_DEBUGFS names\n"
	  "another directory to read.\n"
	  "Exit status: 0 everything handed over was adopted, 1 something went\n"
	  "cold, is unclaimed or the blob was rejected, 2 error.\n",
	  0, dst_cmd_status },
	{ "help", "[COMMAND]", "show help on the tool or one command",
	  "Show the tool's help, or one command's.\n", 0, cmd_help },
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

struct option_doc {
	int val;
	const char *name;
	const char *arg;
	unsigned int needs;	/* 0: every command */
	const char *text;
};

static const struct option_doc option_docs[] = {
	{ 'j', "json", NULL, 0, "JSON output (errors too)" },
	{ 'p', "pretty", NULL, 0, "pretty-printed JSON (implies --json)" },
	{ 'v', "verbose", NULL, 0, "more detail; repeat for more" },
	{ 't', "tree", NULL, OPT_TREE, "dump: show devices along their bridge chains" },
	{ 'k', "kho", NULL, OPT_KHO, "dump: what KHO handed over (kho/in/sub_fdts)" },
	{ 's', "slot", "SEL", OPT_SELECT,
	  "dump, verify, diff: only devices at\n"
	  "                             [[[[dom]:]bus]:][slot][.[func]]" },
	{ 'd', "id", "SEL", OPT_SELECT,
	  "dump, verify, diff: only devices with\n"
	  "                             [vendor]:[device][:class[:progif]]" },
	{ 'n', "numeric", NULL, OPT_NAMES,
	  "dump, verify: IDs as numbers only (lspci -n)" },
	{ 'i', "ids", "FILE", OPT_NAMES,
	  "dump, verify: read names from this pci.ids" },
	{ 'A', "method", "METHOD", OPT_PCI, "verify: libpci access method (e.g. dump)" },
	{ 'O', "option", "NAME=VALUE", OPT_PCI, "verify: libpci parameter (e.g. dump.name=FILE)" },
	{ 'h', "help", NULL, 0, "show help" },
	{ 'V', "version", NULL, 0, "show the version" },
};
#define NR_OPTION_DOCS (sizeof(option_docs) / sizeof(option_docs[0]))

static void print_option(FILE *f, const struct option_doc *d)
{
	char head[40];

	snprintf(head, sizeof(head), "-%c, --%s%s%s", d->val, d->name,
		 d->arg ? " " : "", d->arg ? d->arg : "");
	fprintf(f, "  %-26s %s\n", head, d->text);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: devstate [OPTIONS] COMMAND [ARGS]\n\nCommands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		char head[32];

		snprintf(head, sizeof(head), "%s %s", commands[i].name,
			 commands[i].args);
		fprintf(f, "  %-26s %s\n", head, commands[i].summary);
	}
	fprintf(f, "\nOptions:\n");
	for (i = 0; i < NR_OPTION_DOCS; i++)
		print_option(f, &option_docs[i]);
	fprintf(f, "\nCommands may be abbreviated to any unambiguous prefix.\n"
		   "'devstate help COMMAND' or 'devstate COMMAND --help' for more.\n");
}

static void command_help(FILE *f, const struct command *c)
{
	size_t i;

	fprintf(f, "Usage: devstate %s [OPTIONS] %s\n\n%s\nOptions:\n",
		c->name, c->args, c->help);
	for (i = 0; i < NR_OPTION_DOCS; i++)
		if (!option_docs[i].needs || option_docs[i].needs & c->opts)
			print_option(f, &option_docs[i]);
}

/* Exact name, else the one command @name is a prefix of. */
static const struct command *find_command(const char *name,
					  const struct dst_opts *o)
{
	const struct command *found = NULL;
	size_t i, len = strlen(name), pos;
	int matches = 0;
	char msg[200];

	for (i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
		if (len && !strncmp(commands[i].name, name, len)) {
			found = &commands[i];
			matches++;
		}
	}
	if (matches == 1)
		return found;
	if (matches > 1) {
		pos = (size_t)snprintf(msg, sizeof(msg), "ambiguous command '%.40s':",
				       name);
		for (i = 0; i < NR_COMMANDS && pos < sizeof(msg); i++)
			if (!strncmp(commands[i].name, name, len))
				pos += (size_t)snprintf(msg + pos, sizeof(msg) - pos,
							" %s", commands[i].name);
		dst_error(o, NULL, -EINVAL, "%s", msg);
	} else {
		dst_error(o, NULL, -EINVAL,
			  "unknown command '%.40s' (see 'devstate help')", name);
	}
	return NULL;
}

static int cmd_help(const struct dst_opts *o, int argc, char **argv)
{
	const struct command *c;

	if (argc == 0) {
		usage(o->out);
		return DST_EXIT_OK;
	}
	if (argc > 1) {
		dst_error(o, NULL, -EINVAL, "help takes one command name");
		return DST_EXIT_ERROR;
	}
	c = find_command(argv[0], o);
	if (!c)
		return DST_EXIT_ERROR;
	command_help(o->out, c);
	return DST_EXIT_OK;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "tree", no_argument, NULL, 't' },
	{ "kho", no_argument, NULL, 'k' },
	{ "slot", required_argument, NULL, 's' },
	{ "id", required_argument, NULL, 'd' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "ids", required_argument, NULL, 'i' },
	{ "method", required_argument, NULL, 'A' },
	{ "option", required_argument, NULL, 'O' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct option_doc *option_doc(int val)
{
	size_t i;

	for (i = 0; i < NR_OPTION_DOCS; i++)
		if (option_docs[i].val == val)
			return &option_docs[i];
	return NULL;
}

/* Errors before the command runs; JSON-shaped in JSON mode. */
static int usage_error(const struct dst_opts *o, const char *msg)
{
	dst_error(o, NULL, -EINVAL, "%s", msg);
	return DST_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	struct dst_opts o = { .out = stdout, .err = stderr };
	const struct command *cmd;
	bool help = false, version = false;
	unsigned int used = 0;
	char msg[300];
	const char *err;
	int c, ret;

	o.debugfs_dir = getenv("DEVSTATE_DEBUGFS");
	o.kho_dir = getenv("DEVSTATE_KHO_DEBUGFS");
	o.ids_file = getenv("DEVSTATE_PCI_IDS");
	/* Record options first; whether the command takes them is known later. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jpvtks:d:ni:A:O:hV", long_options,
				NULL)) != -1) {
		const struct option_doc *d = option_doc(c);

		if (d)
			used |= d->needs;
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'p':
			o.json = o.pretty = true;
			break;
		case 'v':
			o.verbose++;
			break;
		case 't':
			o.tree = true;
			break;
		case 'k':
			o.kho = true;
			break;
		case 's':
			err = dst_select_slot(&o.sel, optarg);
			if (err) {
				snprintf(msg, sizeof(msg), "-s %s: %s", optarg, err);
				return usage_error(&o, msg);
			}
			break;
		case 'd':
			err = dst_select_id(&o.sel, optarg);
			if (err) {
				snprintf(msg, sizeof(msg), "-d %s: %s", optarg, err);
				return usage_error(&o, msg);
			}
			break;
		case 'n':
			o.numeric = true;
			break;
		case 'i':
			o.ids_file = optarg;
			break;
		case 'A':
			o.pci_method = optarg;
			break;
		case 'O':
			if (o.nr_pci_params == (int)(sizeof(o.pci_params) /
						     sizeof(o.pci_params[0])))
				return usage_error(&o, "too many -O options");
			o.pci_params[o.nr_pci_params++] = optarg;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			version = true;
			break;
		case ':':
			snprintf(msg, sizeof(msg), "option '%s' needs an argument",
				 argv[optind - 1]);
			return usage_error(&o, msg);
		default:
			snprintf(msg, sizeof(msg),
				 "unknown option '%s' (see 'devstate help')",
				 argv[optind - 1]);
			return usage_error(&o, msg);
		}
	}
	if (version) {
		fprintf(o.out, "devstate %s (blob ABI %u, record version %u)\n",
			DST_VERSION, DS_REGION_ABI_VERSION, DS_RECORD_VERSION);
		return DST_EXIT_OK;
	}
	if (optind >= argc) {
		if (help) {
			usage(o.out);
			return DST_EXIT_OK;
		}
		if (o.json)
			return usage_error(&o, "no command given (see 'devstate help')");
		usage(o.err);
		return DST_EXIT_ERROR;
	}
	cmd = find_command(argv[optind], &o);
	if (!cmd)
		return DST_EXIT_ERROR;
	if (help) {
		command_help(o.out, cmd);
		return DST_EXIT_OK;
	}
	if (used & ~cmd->opts) {
		snprintf(msg, sizeof(msg),
			 "%s does not take %s (see 'devstate help %s')",
			 cmd->name,
			 used & ~cmd->opts & OPT_TREE ? "-t" :
			 used & ~cmd->opts & OPT_SELECT ? "-s/-d" :
			 used & ~cmd->opts & OPT_NAMES ? "-n/-i" :
			 used & ~cmd->opts & OPT_KHO ? "-k" : "-A/-O",
			 cmd->name);
		return usage_error(&o, msg);
	}
	ret = cmd->fn(&o, argc - optind - 1, argv + optind + 1);
	dst_names_close();
	return ret;
}

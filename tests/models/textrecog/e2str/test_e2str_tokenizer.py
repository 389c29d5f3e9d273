# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR's tokenizer: OPT-125M's ids, OpenFlamingo's tokens, char-level."""
import json
import os
import os.path as osp
import tempfile
from unittest import TestCase

import torch

from mmocr_ext.models.textrecog.e2str.e2str_tokenizer import (
    CHUNK_TOKEN, IMAGE_TOKEN, _write_dir_atomically, build_char_tokenizer_dir,
    build_e2str_tokenizer, unencodable_chars)

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))))
DATA = osp.join(REPO, 'data', 'tokenizers')
OPT_DIR = osp.join(DATA, 'opt-125m')
BATCH = [f'{IMAGE_TOKEN}ab{CHUNK_TOKEN}', f'{IMAGE_TOKEN}x']
CHARSET = 'abcehloxyzABC0123456789 .-'


class TestOPTTokenizer(TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tok = build_e2str_tokenizer(OPT_DIR)

    def test_opt_ids(self):
        self.assertEqual(self.tok('Hello').input_ids, [2, 31414])
        self.assertEqual(self.tok(' the').input_ids, [2, 5])
        self.assertEqual(self.tok('.').input_ids, [2, 4])
        self.assertEqual(self.tok('Hello world').input_ids, [2, 31414, 232])
        self.assertEqual(
            self.tok.convert_tokens_to_ids('<|endoftext|>'), 50260)

    def test_special_tokens(self):
        tok = self.tok
        self.assertEqual(len(tok), 50267)
        self.assertEqual(tok.convert_tokens_to_ids(CHUNK_TOKEN), 50265)
        self.assertEqual(tok.convert_tokens_to_ids(IMAGE_TOKEN), 50266)
        self.assertEqual((tok.pad_token, tok.pad_token_id), ('<pad>', 1))
        self.assertEqual((tok.bos_token, tok.bos_token_id), ('</s>', 2))
        self.assertEqual(tok.eos_token_id, 2)
        self.assertEqual(tok.padding_side, 'left')
        self.assertEqual(tok(BATCH[0]).input_ids, [2, 50266, 873, 50265])

    def test_left_padding(self):
        batch = self.tok(BATCH, padding=True, return_tensors='pt')
        self.assertEqual(batch.input_ids.shape, (2, 4))
        self.assertEqual(batch.input_ids.tolist(),
                         [[2, 50266, 873, 50265], [1, 2, 50266, 1178]])
        self.assertTrue(
            torch.equal(batch.attention_mask,
                        torch.tensor([[1, 1, 1, 1], [0, 1, 1, 1]])))

    def test_decode(self):
        ids = self.tok(BATCH, padding=True).input_ids
        self.assertEqual(
            self.tok.decode(ids[0], skip_special_tokens=True), 'ab')
        self.assertEqual(
            self.tok.decode(ids[1], skip_special_tokens=True), 'x')
        text = 'Hello, World! 42 % straße'
        self.assertEqual(
            self.tok.decode(
                self.tok(text).input_ids, skip_special_tokens=True), text)

    def test_everything_encodable(self):
        self.assertEqual(unencodable_chars(self.tok, 'héllo wörld 中文 ✓'), [])

    def test_files(self):
        """The directory mirrors facebook/opt-125m's tokenizer files."""
        with open(osp.join(OPT_DIR, 'vocab.json'), encoding='utf-8') as f:
            vocab = json.load(f)
        self.assertEqual(len(vocab), 50265)
        self.assertEqual(sorted(vocab.values()), list(range(50265)))
        self.assertEqual([vocab[t] for t in ('<s>', '<pad>', '</s>', '<unk>')],
                         [0, 1, 2, 3])
        self.assertEqual(vocab['madeupword0003'], 50264)
        self.assertNotIn('madeupword0004', vocab)
        with open(osp.join(OPT_DIR, 'tokenizer_config.json')) as f:
            config = json.load(f)
        self.assertEqual(config['tokenizer_class'], 'GPT2Tokenizer')
        self.assertTrue(config['add_bos_token'])


class TestCharTokenizer(TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = build_char_tokenizer_dir(
            osp.join(cls.tmp.name, 'char'), CHARSET + 'aa')
        cls.tok = build_e2str_tokenizer(cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_files(self):
        self.assertEqual(
            sorted(os.listdir(self.dir)), [
                'special_tokens_map.json', 'tokenizer.json',
                'tokenizer_config.json'
            ])
        # nothing left behind by the atomic write
        self.assertIn('char', os.listdir(self.tmp.name))
        self.assertFalse(
            [e for e in os.listdir(self.tmp.name) if e.startswith('.')])

    def test_ids(self):
        tok = self.tok
        n = 3 + len(CHARSET)  # duplicates dropped
        self.assertEqual(len(tok), n + 2)
        self.assertEqual(
            tok.convert_tokens_to_ids(['<pad>', '</s>', '<unk>', 'a', 'b']),
            [0, 1, 2, 3, 4])
        self.assertEqual(tok.convert_tokens_to_ids(CHUNK_TOKEN), n)
        self.assertEqual(tok.convert_tokens_to_ids(IMAGE_TOKEN), n + 1)
        self.assertEqual((tok.pad_token_id, tok.bos_token_id), (0, 1))
        # BOS first, one id per character, case and spaces kept
        self.assertEqual(tok('abA a').input_ids, [1, 3, 4, 13, 26, 3])
        self.assertEqual(tok('hé').input_ids, [1, 7, 2])

    def test_left_padding(self):
        batch = self.tok(BATCH, padding=True, return_tensors='pt')
        n = len(self.tok) - 2
        self.assertEqual(batch.input_ids.tolist(),
                         [[1, n + 1, 3, 4, n], [0, 0, 1, n + 1, 10]])
        self.assertEqual(batch.attention_mask.tolist(),
                         [[1] * 5, [0, 0, 1, 1, 1]])

    def test_decode(self):
        ids = self.tok(BATCH, padding=True).input_ids
        self.assertEqual(
            self.tok.decode(ids[0], skip_special_tokens=True), 'ab')
        text = 'Abc 1.5-x  z'
        self.assertEqual(
            self.tok.decode(
                self.tok(text).input_ids, skip_special_tokens=True), text)

    def test_unencodable(self):
        self.assertEqual(unencodable_chars(self.tok, 'héllo'), ['é'])
        self.assertEqual(
            unencodable_chars(self.tok, 'Ünï\tab'), ['Ü', 'n', 'ï', '\t'])
        self.assertEqual(unencodable_chars(self.tok, 'abc 0.-'), [])

    def test_rebuild_keeps_other_files(self):
        out = osp.join(self.tmp.name, 'rebuild')
        build_char_tokenizer_dir(out, 'ab')
        with open(osp.join(out, 'SOURCE.txt'), 'w') as f:
            f.write('notes')
        build_char_tokenizer_dir(out, 'xyz')
        self.assertEqual(
            sorted(os.listdir(out)), [
                'SOURCE.txt', 'special_tokens_map.json', 'tokenizer.json',
                'tokenizer_config.json'
            ])
        tok = build_e2str_tokenizer(out)
        self.assertEqual(tok('xz').input_ids, [1, 3, 5])
        self.assertEqual(unencodable_chars(tok, 'ab'), ['a', 'b'])

    def test_failed_write_leaves_the_old_dir(self):
        out = osp.join(self.tmp.name, 'failed')
        build_char_tokenizer_dir(out, 'ab')
        with open(osp.join(out, 'SOURCE.txt'), 'w') as f:
            f.write('notes')
        before = sorted(os.listdir(out))

        def fill(tmp):
            with open(osp.join(tmp, 'tokenizer.json'), 'w') as f:
                f.write('{')  # partial
            raise OSError('disk full')

        with self.assertRaises(OSError):
            _write_dir_atomically(out, fill)
        self.assertEqual(sorted(os.listdir(out)), before)
        self.assertEqual(build_e2str_tokenizer(out)('ba').input_ids, [1, 4, 3])
        self.assertFalse(
            [e for e in os.listdir(self.tmp.name) if e.startswith('.')])


class TestMissing(TestCase):

    def test_missing_dir(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = osp.join(tmp, 'no_such_tokenizer')
            with self.assertRaises(FileNotFoundError) as e:
                build_e2str_tokenizer(path)
            self.assertIn(path, str(e.exception))

    def test_missing_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(osp.join(tmp, 'tokenizer_config.json'), 'w') as f:
                f.write('{}')
            with open(osp.join(tmp, 'vocab.json'), 'w') as f:
                f.write('{}')
            with self.assertRaises(FileNotFoundError) as e:
                build_e2str_tokenizer(tmp)
            self.assertIn(tmp, str(e.exception))
            self.assertIn('merges.txt', str(e.exception))


def _tool(name: str):
    """Import ``tools/misc/<name>.py`` (not a package) as a module."""
    import importlib.util
    path = osp.join(REPO, 'tools', 'misc', f'{name}.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestCharTokenizerTool(TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tool = _tool('build_char_tokenizer')

    def test_default_charset_is_mmocrs(self):
        chars = self.tool.read_dict_file(self.tool.mmocr_dict_file())
        self.assertEqual(len(chars), 91)  # 90 + the space (last line)
        self.assertEqual(chars[:3] + chars[-2:], '012~ ')
        with tempfile.TemporaryDirectory() as tmp:
            self.tool.main([tmp + '/char'])
            tok = build_e2str_tokenizer(tmp + '/char')
            self.assertEqual(len(tok), 3 + 91 + 2)
            self.assertEqual(tok('0 ~').input_ids, [1, 3, 93, 92])

    def test_dict_file_and_charset(self):
        with tempfile.TemporaryDirectory() as tmp:
            dict_file = osp.join(tmp, 'dict.txt')
            with open(dict_file, 'w') as f:
                f.write('x\ny\n\n \nx\n')
            self.tool.main([tmp + '/a', '--dict-file', dict_file])
            self.assertEqual(
                build_e2str_tokenizer(tmp + '/a')('y x').input_ids,
                [1, 4, 5, 3])
            self.tool.main([tmp + '/b', '--charset', 'qQ'])
            self.assertEqual(
                build_e2str_tokenizer(tmp + '/b')('Qq').input_ids, [1, 4, 3])

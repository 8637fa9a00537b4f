namespace NotesLsp.Papers;

/// <summary>
/// Common machine-learning vocabulary in Japanese, Chinese and German, mapped to the English words titles use,
/// so that <c>時系列基盤モデル</c> or <c>Zeitreihen-Vorhersage</c> can meet "time series foundation model" and
/// "time series forecasting". The English words join a query as optional hints: they add to a paper that has
/// them and never take a match away. A field vocabulary, not a list of titles.
/// </summary>
internal static class Glossary
{
    // Longest keys first so that 大規模言語モデル is read before 言語モデル, and that before モデル.
    private static readonly (string Key, string English)[] CjkTerms = new (string, string)[]
    {
        ("大規模言語モデル", "large language model"), ("大语言模型", "large language model"), ("大型语言模型", "large language model"),
        ("言語モデル", "language model"), ("语言模型", "language model"), ("基盤モデル", "foundation model"), ("基础模型", "foundation model"),
        ("基座模型", "foundation model"), ("拡散モデル", "diffusion model"), ("扩散模型", "diffusion model"), ("拡散", "diffusion"), ("扩散", "diffusion"),
        ("時系列", "time series"), ("时间序列", "time series"), ("時間序列", "time series"), ("時序", "time series"), ("时序", "time series"),
        ("強化学習", "reinforcement learning"), ("强化学习", "reinforcement learning"), ("連合学習", "federated learning"), ("联邦学习", "federated learning"),
        ("自己教師あり", "self supervised"), ("自监督", "self supervised"), ("対照学習", "contrastive learning"), ("对比学习", "contrastive learning"),
        ("転移学習", "transfer learning"), ("迁移学习", "transfer learning"), ("メタ学習", "meta learning"), ("元学习", "meta learning"),
        ("模倣学習", "imitation learning"), ("模仿学习", "imitation learning"), ("継続学習", "continual learning"), ("持续学习", "continual learning"),
        ("量子化", "quantization"), ("量化", "quantization"), ("蒸留", "distillation"), ("蒸馏", "distillation"), ("枝刈り", "pruning"), ("剪枝", "pruning"),
        ("注意機構", "attention"), ("注意力", "attention"), ("アテンション", "attention"), ("線形", "linear"), ("线性", "linear"),
        ("ゲート", "gated"), ("门控", "gated"), ("討論", "debate"), ("ディベート", "debate"), ("辩论", "debate"), ("説得", "persuasive"), ("说服", "persuasive"),
        ("真実", "truthful"), ("真实", "truthful"), ("幻覚", "hallucination"), ("幻觉", "hallucination"), ("ハルシネーション", "hallucination"),
        ("画像", "image"), ("图像", "image"), ("動画", "video"), ("ビデオ", "video"), ("视频", "video"), ("音声", "speech"), ("语音", "speech"),
        ("生成", "generation generative"), ("検索", "retrieval search"), ("检索", "retrieval"), ("推論", "reasoning inference"), ("推理", "reasoning inference"),
        ("最適化", "optimization"), ("优化", "optimization"), ("低ランク", "low rank"), ("低秩", "low rank"), ("勾配", "gradient"), ("梯度", "gradient"),
        ("射影", "projection"), ("投影", "projection"), ("メモリ", "memory"), ("内存", "memory"), ("显存", "memory"), ("状態空間", "state space"),
        ("状态空间", "state space"), ("双方向", "bidirectional"), ("双向", "bidirectional"), ("視覚", "visual vision"), ("视觉", "visual vision"),
        ("予測", "forecasting prediction"), ("预测", "forecasting prediction"), ("グラフ", "graph"), ("ニューラル", "neural"), ("神经网络", "neural network"),
        ("ネットワーク", "network"), ("网络", "network"), ("トランスフォーマー", "transformer"), ("エージェント", "agent"), ("智能体", "agent"),
        ("マルチエージェント", "multiagent multi agent"), ("多智能体", "multiagent multi agent"), ("ロボット", "robot"), ("机器人", "robot"),
        ("因果", "causal"), ("ベイズ", "bayesian"), ("贝叶斯", "bayesian"), ("文脈", "context"), ("コンテキスト", "context"), ("上下文", "context"),
        ("窗口", "window"), ("ウィンドウ", "window"), ("微调", "fine tuning"), ("ファインチューニング", "fine tuning"), ("重み", "weight"), ("权重", "weight"),
        ("分解", "decomposed decomposition"), ("表現学習", "representation learning"), ("表征", "representation"), ("敵対的", "adversarial"),
        ("对抗", "adversarial"), ("頑健", "robust"), ("鲁棒", "robust"), ("公平", "fairness"), ("プライバシー", "privacy"), ("隐私", "privacy"),
        ("差分プライバシー", "differential privacy"), ("差分隐私", "differential privacy"), ("合成", "synthesis"), ("効率", "efficient"), ("高效", "efficient"),
        ("ハードウェア", "hardware"), ("硬件", "hardware"), ("训练", "training"), ("訓練", "training"), ("事前学習", "pretraining"), ("预训练", "pretraining"),
        ("指示", "instruction"), ("指令", "instruction"), ("報酬", "reward"), ("奖励", "reward"), ("選好", "preference"), ("偏好", "preference"),
        ("整合", "alignment"), ("アライメント", "alignment"), ("对齐", "alignment"), ("安全", "safety"), ("脱獄", "jailbreak"), ("越狱", "jailbreak"),
        ("透かし", "watermark"), ("水印", "watermark"), ("解釈", "interpretability"), ("可解释", "interpretability"), ("不確実性", "uncertainty"),
        ("不确定性", "uncertainty"), ("分布外", "out of distribution"), ("汎化", "generalization"), ("泛化", "generalization"), ("スケーリング則", "scaling laws"),
        ("缩放定律", "scaling laws"), ("専門家の混合", "mixture of experts"), ("混合专家", "mixture of experts"), ("投機的デコーディング", "speculative decoding"),
        ("推测解码", "speculative decoding"), ("デコーディング", "decoding"), ("解码", "decoding"), ("長文脈", "long context"), ("长上下文", "long context"),
        ("分子", "molecule molecular"), ("タンパク質", "protein"), ("蛋白质", "protein"), ("気象", "weather"), ("天气", "weather"), ("気候", "climate"),
        ("气候", "climate"), ("物理", "physics"), ("偏微分方程式", "pde partial differential equations"), ("偏微分方程", "pde partial differential equations"),
        ("世界モデル", "world model"), ("世界模型", "world model"), ("環境", "environments"), ("环境", "environments"), ("対話", "interactive dialogue"),
        ("交互", "interactive"), ("コード", "code"), ("代码", "code"), ("数学", "mathematical math"), ("ベンチマーク", "benchmark"), ("基准", "benchmark"),
        ("評価", "evaluation"), ("评估", "evaluation"), ("データセット", "dataset"), ("数据集", "dataset"), ("データ", "data"), ("数据", "data"),
        ("モデル", "model"), ("模型", "model"), ("学習", "learning"), ("学习", "learning"), ("疎", "sparse"), ("稀疏", "sparse"),
    }.OrderByDescending(t => t.Item1.Length).ToArray();

    // German word stems (folded: no umlauts), found inside compounds ("Zeitreihen-Vorhersage", "Multiagenten-Debatte").
    private static readonly (string Key, string English)[] GermanTerms = new (string, string)[]
    {
        ("sprachmodell", "language model"), ("zeitreihe", "time series"), ("vorhersage", "forecasting prediction"), ("bestarkend", "reinforcement"),
        ("verstarkungslern", "reinforcement learning"), ("diffusionsmodell", "diffusion model"), ("umgebung", "environments"), ("interaktiv", "interactive"),
        ("generativ", "generative"), ("bildsynthese", "image synthesis"), ("bilderzeugung", "image generation"), ("hochauflosend", "high resolution"),
        ("debatte", "debate"), ("faktentreue", "factuality"), ("wahrheit", "truthful"), ("unsicherheit", "uncertainty"), ("quantisierung", "quantization"),
        ("aufmerksamkeit", "attention"), ("universell", "universal"), ("neuronal", "neural"), ("optimierung", "optimization"), ("erklarbar", "explainable"),
        ("robustheit", "robustness"), ("datensatz", "dataset"), ("datensatze", "datasets"), ("multiagent", "multiagent"), ("mehragent", "multiagent"),
        ("agenten", "agents"), ("verbessert", "improving"), ("grundlagenmodell", "foundation model"), ("basismodell", "foundation model"),
        ("lernen", "learning"), ("gradient", "gradient"), ("niedrigrang", "low rank"), ("speicher", "memory"), ("destillation", "distillation"),
        ("kausal", "causal"), ("wettervorhersage", "weather forecasting"), ("klima", "climate"), ("bildgebung", "imaging"), ("sprache", "language"),
    };

    /// <summary>English words for the vocabulary found in <paramref name="text"/> (a CJK run or one folded word).</summary>
    public static IEnumerable<string> Translate(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        if (SearchText.IsCjk(text[0]))
        {
            var covered = new bool[text.Length];
            foreach (var (key, english) in CjkTerms)
            {
                for (var at = text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = text.IndexOf(key, at + 1, StringComparison.Ordinal))
                {
                    if (covered[at])
                    {
                        continue;
                    }

                    for (var k = at; k < at + key.Length; k++)
                    {
                        covered[k] = true;
                    }

                    foreach (var word in english.Split(' '))
                    {
                        yield return word;
                    }
                }
            }

            yield break;
        }

        foreach (var (key, english) in GermanTerms)
        {
            if (text.Contains(key, StringComparison.Ordinal) && text != key.Replace(" ", string.Empty, StringComparison.Ordinal))
            {
                foreach (var word in english.Split(' '))
                {
                    yield return word;
                }
            }
        }
    }
}

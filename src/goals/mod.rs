//! Goals, targets and progress: the Strategi för hälsa catalogue, progress toward
//! targets (SKR change from baseline, Eurostat SDG, UN progress chart) and gap closure.

pub mod catalogue;
pub mod gap;
pub mod model;
pub mod progress;

pub use catalogue::{Catalogue, MergeMode};
pub use gap::{GapClosure, GapOptions, gap_closure};
pub use model::{
    ChangeUnit, Confidence, Direction, Goal, GoalArea, Indicator, Level, SexHandling, Target,
    TargetKind,
};
pub use progress::{Assessment, Category, ProgressNumbers, Term};
